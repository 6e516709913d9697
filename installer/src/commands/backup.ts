import path from 'node:path';
import { Command } from 'commander';
import { runAction } from '../context.js';
import { restoreOwnership, serviceUser } from '../installed.js';
import { runHuiji } from '../release-cli.js';
import { requireState } from '../state.js';

/** `backup`: the installed release's `huiji backup create`, while Huiji keeps running. */
export function backupCommand(): Command {
  return new Command('backup')
    .description('back up the installed Huiji now (database and data files, encrypted with the backup public key); Huiji keeps running')
    .option('--out <file>', 'where to write the .hjbak (its .hjkey goes beside it); default: backup.dir of the config')
    .option('--json', 'print {file, keyFile, bytes, manifest} as JSON')
    .addHelpText('after', '\nExit codes: those of bin/huiji backup create: 0 done, 1 failed, 2 usage, 5 prerequisite failed.')
    .action(
      runAction(async (ctx, values) => {
        requireState(ctx.layout);
        const out = values.get<string>('out');
        const args = ['backup', 'create', ...(out ? ['--out', path.resolve(out)] : []), ...(values.get<boolean>('json') ? ['--json'] : [])];
        const result = await runHuiji(ctx, ctx.layout.currentBin, args, { env: { HUIJI_CONFIG: ctx.layout.configFile }, passthrough: true });
        await restoreOwnership(ctx, await serviceUser(ctx));
        return result.code;
      }),
    );
}
