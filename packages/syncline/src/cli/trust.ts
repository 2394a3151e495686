// `syncline trust` and `syncline untrust`: install or remove the user's local CA (tls/localCa.ts) in the system
// store and the browsers' NSS databases, printing each change; non-zero when a step failed.
import type { Command } from 'commander';
import { localCa } from '../tls/localCa.js';
import { type StepResult, trustCa, untrustCa } from '../tls/trustStores.js';

function report(results: StepResult[]): number {
  let failed = false;
  for (const r of results) {
    if (r.error) {
      failed = true;
      process.stderr.write(`  ✗ ${r.target}: ${r.error}\n`);
    } else {
      process.stdout.write(`  ${r.target}: ${r.change}\n`);
    }
  }
  return failed ? 1 : 0;
}

export function addTrustCommands(program: Command): void {
  program
    .command('trust')
    .description(
      "install the local development CA (created once per user) in the system store and the browsers' NSS databases",
    )
    .action(async () => {
      const ca = await localCa();
      process.stdout.write(`Syncline development CA: ${ca.certPath}\n`);
      const code = report(trustCa(ca.certPath));
      process.stdout.write(`Node clients: NODE_EXTRA_CA_CERTS=${ca.certPath}\n`);
      process.exitCode = code;
    });
  program
    .command('untrust')
    .description('remove the local development CA from the places `syncline trust` installed it')
    .action(() => {
      process.exitCode = report(untrustCa());
    });
}
