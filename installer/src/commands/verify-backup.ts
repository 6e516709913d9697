import path from 'node:path';
import { Command } from 'commander';
import { runAction } from '../context.js';
import { restoreOwnership, serviceUser } from '../installed.js';
import { runHuiji, sourceBin } from '../release-cli.js';
import { ownerUrl, readState } from '../state.js';

/** A MySQL server to verify on when nothing else is given: the local one, as root, no password. */
const LAST_RESORT_URL = 'mysql://root@127.0.0.1:3306/huiji';

/**
 * `verify-backup`: needs no install (a spare machine will do): the source root's bin/huiji
 * decrypts the file, restores it into a scratch database, compares it with its manifest
 * and drops the scratch database.
 */
export function verifyBackupCommand(): Command {
  return new Command('verify-backup')
    .description('decrypt a backup, restore it into a scratch database, compare with its manifest, drop the scratch database')
    .option('--file <file>', 'the .hjbak file (its .hjkey beside it)')
    .option('--private-key <file>', 'the backup private key (PEM)')
    .option('--db-url <url>', `MySQL server for the scratch database (default: the owner account of the install under --prefix, else ${LAST_RESORT_URL})`)
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExit codes: 0 the backup is sound, 2 usage, 3 integrity failure (tampered or truncated), 4 wrong private key, 5 prerequisite failed.')
    .action(
      runAction(async (ctx, values) => {
        const file = await values.requiredString('file', { flag: '--file', question: 'Backup file (.hjbak) 备份文件' });
        const privateKey = await values.requiredString('privateKey', { flag: '--private-key', question: 'Backup private key file 备份私钥文件' });
        let state = null;
        try {
          state = readState(ctx.layout);
        } catch {
          // Not readable here (not root): verify on the last-resort server instead.
        }
        let dbUrl = values.get<string>('dbUrl') ?? (state ? ownerUrl(state) : LAST_RESORT_URL);
        // The scratch database is named after the URL's database; a bare server URL gets "huiji".
        if (/^mysql:\/\/[^/]+\/?$/.test(dbUrl)) dbUrl = `${dbUrl.replace(/\/$/, '')}/huiji`;
        ctx.ui.secret(/\/\/[^:/@]*:([^@]+)@/.exec(dbUrl)?.[1]);
        const args = ['backup', 'verify', '--file', path.resolve(file), '--private-key', path.resolve(privateKey), '--db-url', dbUrl];
        if (values.get<boolean>('json')) args.push('--json');
        const code = (await runHuiji(ctx, sourceBin(ctx), args, { passthrough: true })).code;
        // The verification sidecar beside a backup of this server must stay readable by the service.
        if (state) await restoreOwnership(ctx, await serviceUser(ctx));
        return code;
      }),
    );
}
