import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { runAction } from '../context.js';
import { runHuiji, sourceBin } from '../release-cli.js';

/** `backup-key export --paper`: the private key in a printable form, for a safe. */
export function backupKeyCommand(): Command {
  const command = new Command('backup-key').description('the backup private key: a printable copy for a safe');
  command
    .command('export')
    .description('print the private key with its fingerprint and line numbers, to keep on paper')
    .option('--private-key <file>', 'the backup private key (PEM)')
    .option('--paper', 'the printable form (the only form there is)')
    .action(
      runAction(async (ctx, values) => {
        const privateKey = await values.requiredString('privateKey', { flag: '--private-key', question: 'Backup private key file 备份私钥文件' });
        const bin = fs.existsSync(ctx.layout.currentBin) ? ctx.layout.currentBin : sourceBin(ctx);
        return (await runHuiji(ctx, bin, ['backup-key', 'export', '--private-key', path.resolve(privateKey), '--paper'], { passthrough: true })).code;
      }),
    );
  return command;
}
