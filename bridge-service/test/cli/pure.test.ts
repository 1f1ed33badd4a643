import { describe, expect, it } from '@jest/globals';
import { parseArgs } from '../../src/cli/args';
import { dualWriteSteps, isCredentialRefusal, otherIntegrations, reportLines } from '../../src/cli/doctor-checks';
import { duration } from '../../src/cli/io';
import { describeRegistration } from '../../src/cli/setup';

describe('cli pure parts', () => {
  it('parses commands, positionals and flags', () => {
    expect(parseArgs(['initial-sync', 'm', '--company', 'nlmf', '--wins=fno', '--json', '--failed-only'])).toEqual({
      command: 'initial-sync', positional: ['m'], flags: { company: 'nlmf', wins: 'fno', json: true, 'failed-only': true },
    });
  });
  it('finds dual-write and Prospect to cash solutions, not others', () => {
    expect(otherIntegrations([{ uniquename: 'dynamics365company' }, { uniquename: 'DualWriteCore' }, { uniquename: 'FinOpsBridge', friendlyname: 'FinOps Bridge' },
      { uniquename: 'msdyn_P2C', friendlyname: 'Prospect to cash' }])).toEqual({ dualWrite: ['dynamics365company', 'DualWriteCore'], prospectToCash: ['msdyn_P2C'] });
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
});
