import path from 'node:path';
import type { CommandContext } from './context.js';
import type { RunResult } from './system.js';

/**
 * Runs a release's own `bin/huiji`: every data operation (migrations, backups, restores,
 * key generation) is done by the release's code, never by the installer's. The inherited
 * HUIJI_* variables are dropped so only what the installer passes steers it; HUIJI_NODE
 * pins the Node.js that runs the installer (the one doctor checked).
 */
export interface HuijiRunOptions {
  env?: Record<string, string>;
  /** Give the program the terminal: its output and exit code are the command's. */
  passthrough?: boolean;
}

export async function runHuiji(ctx: CommandContext, bin: string, args: string[], options: HuijiRunOptions = {}): Promise<RunResult> {
  return ctx.system.run(bin, args, {
    env: { HUIJI_NODE: process.execPath, ...options.env },
    cleanEnv: true,
    cwd: path.dirname(path.dirname(bin)),
    stdio: options.passthrough ? 'inherit' : 'pipe',
  });
}

/** The last lines of a failed run's output, for an error message. */
export function tail(result: RunResult, lines = 5): string {
  const text = `${result.stderr.trim()}\n${result.stdout.trim()}`.trim();
  return text.split('\n').slice(-lines).join('\n') || `exit ${result.code}`;
}

/** The source root's bin/huiji: runs without an install (verify-backup on a spare machine). */
export const sourceBin = (ctx: CommandContext) => path.join(ctx.sourceRoot, 'bin', 'huiji');
