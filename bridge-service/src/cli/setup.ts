// `finops-bridge setup`: registers the bridge's webhooks with the engine's own registration (the same
// function the bridge runs against the sandbox at start), and says what changed.
import { createClients } from '../clients/index';
import { registerWebhooks, type RegistrationResult } from '../sync/runtime/registration';
import type { CliContext } from './context';
import { EXIT, type Io } from './io';

export function describeRegistration(r: RegistrationResult, bridgeUrl: string): string[] {
  // The endpoint is always rewritten (its secret cannot be read back to compare): not a change to report.
  const updated = r.updated.filter((u) => !u.startsWith('serviceendpoint '));
  const lines = [
    ...r.created.map((c) => `created ${c}`),
    ...updated.map((u) => `updated ${u}`),
    ...r.deleted.map((d) => `removed ${d}`),
  ];
  if (r.fnoSubscription === 'created' || r.fnoSubscription === 'replaced') lines.push(`${r.fnoSubscription} the F&O event endpoint ${bridgeUrl}/webhooks/fno`);
  if (r.fnoSubscription === 'unsupported') {
    lines.push('F&O has no event registration API here: store the URL ' + `${bridgeUrl}/webhooks/fno?code=<DATAVERSE_WEBHOOK_SECRET>` + ' as a Key Vault secret, '
      + 'add an HTTPS endpoint with it in F&O (System administration > Setup > Business events > Endpoints) and activate the data events '
      + 'of the mapped entities for it (Data events tab); see docs/admin-guide.md');
  }
  return lines;
}

export async function runSetup(ctx: CliContext, io: Io): Promise<number> {
  if (!ctx.webhookSecret) {
    io.err('DATAVERSE_WEBHOOK_SECRET is not set: set it (16+ random characters, the same value the bridge runs with) and run setup again.');
    return EXIT.problems;
  }
  const clients = createClients(ctx.config);
  try {
    const r = await registerWebhooks(clients, ctx.maps, ctx.bridgeUrl, ctx.webhookSecret);
    const changes = describeRegistration(r, ctx.bridgeUrl);
    if (io.json) {
      io.out(JSON.stringify({ ok: true, bridgeUrl: ctx.bridgeUrl, changed: changes.length > 0, ...r }));
    } else {
      io.out(`Webhooks for ${ctx.bridgeUrl} (maps: ${ctx.maps.map((m) => m.name).join(', ')}):`);
      for (const l of changes) io.out(`  ${l}`);
      if (changes.length === 0) io.out('  nothing changed: the registration was already up to date (secret re-applied)');
    }
    return EXIT.ok;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    io.err(`setup failed: ${msg}`);
    io.err('Run `finops-bridge doctor` to find which service, token or permission is wrong.');
    return EXIT.problems;
  } finally {
    await clients.close();
  }
}
