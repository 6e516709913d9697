import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CommandContext } from '../context.js';
import { runHuiji, tail } from '../release-cli.js';
import type { Journal } from './journal.js';
import type { InstallPlan } from './plan.js';

export interface KeyPairResult {
  fingerprint: string;
  /** Set when this run generated the pair: where the private key was written. */
  privateKeyFile: string | null;
}

const spaced = (fingerprint: string) => fingerprint.match(/.{1,4}/g)!.join(' ');

/**
 * The backup key pair. The public key stays at <P>/etc/huiji/backup-public.pem; an existing
 * one is never replaced (older backups would become unreadable). A new private key goes to
 * <P>/root/huiji-backup-private-<fingerprint8>.pem (0600) or --private-key-out, once.
 */
export async function ensureBackupKeyPair(ctx: CommandContext, bin: string, plan: InstallPlan, journal: Journal): Promise<KeyPairResult> {
  const { layout } = ctx;
  return ctx.ui.step('backup key pair (RSA 3072)', async (step) => {
    if (fs.existsSync(layout.publicKeyFile)) {
      const result = await runHuiji(ctx, bin, ['backup-key', 'fingerprint', layout.publicKeyFile]);
      if (result.code !== 0) throw new Error(`${layout.publicKeyFile} is not a usable public key: ${tail(result)}`);
      const fingerprint = result.stdout.trim().replace(/\s+/g, '');
      step.detail(`public key kept, fingerprint ${spaced(fingerprint)}`);
      return { fingerprint, privateKeyFile: null };
    }
    const chosen = plan.privateKeyOut;
    if (chosen && fs.existsSync(chosen)) throw new Error(`--private-key-out ${chosen} exists; a private key is never overwritten`);
    const outDir = chosen ? path.dirname(chosen) : layout.rootHome;
    if (!fs.existsSync(outDir)) {
      for (const dir of await ctx.system.mkdir(outDir, { mode: 0o700 })) journal.add(`directory ${dir}`, () => ctx.system.remove(dir));
    }
    const temp = chosen ?? path.join(layout.rootHome, `.huiji-backup-private-${crypto.randomBytes(4).toString('hex')}.pem`);
    const result = await runHuiji(ctx, bin, ['backup-key', 'generate', '--public-out', layout.publicKeyFile, '--private-out', temp, '--json']);
    if (result.code !== 0) {
      await ctx.system.remove(temp);
      throw new Error(`bin/huiji backup-key generate failed: ${tail(result)}`);
    }
    const { fingerprint } = JSON.parse(result.stdout.trim().split('\n').pop()!) as { fingerprint: string };
    const privateKeyFile = chosen ?? path.join(layout.rootHome, `huiji-backup-private-${fingerprint.slice(0, 8)}.pem`);
    if (privateKeyFile !== temp) await ctx.system.rename(temp, privateKeyFile);
    journal.add(`backup key pair ${fingerprint.slice(0, 8)}`, async () => {
      await ctx.system.remove(layout.publicKeyFile);
      await ctx.system.remove(privateKeyFile);
    });
    step.detail(`created, fingerprint ${spaced(fingerprint)}`);
    return { fingerprint, privateKeyFile };
  });
}

/**
 * Custody of a new private key, once the install has succeeded:
 * - --private-key-out FILE: the operator chose where it lives (removable media): kept there.
 * - --keep-private-key: kept where it is, with a warning.
 * - interactive: the operator copies it off, presses Enter, and it is deleted here.
 * - non-interactive otherwise: kept, loudly. Deleting a key nobody confirmed copying would
 *   make every backup unreadable, and printing it would put it in terminal and CI logs;
 *   a key left in root's home is the lesser harm, and `doctor` keeps warning about it.
 */
export async function handOverPrivateKey(ctx: CommandContext, plan: InstallPlan, key: KeyPairResult): Promise<'kept' | 'deleted' | null> {
  const file = key.privateKeyFile;
  if (!file) return null;
  const { ui } = ctx;
  const paper = `huiji-installer backup-key export --private-key ${file} --paper`;
  ui.loud([
    `BACKUP PRIVATE KEY 备份私钥: ${file}`,
    `fingerprint 指纹: ${spaced(key.fingerprint)}`,
    'Without this key NO backup can ever be read. Keep it OFF this server (USB stick, safe).',
    '没有这把私钥，任何备份都无法读取。请将其保存在本服务器之外（U 盘、保险柜）。',
    `A paper copy for a safe 打印纸质副本: ${paper}`,
  ]);
  if (plan.privateKeyOut) {
    ui.warn(`the private key stays where --private-key-out put it (${file}); make sure that place is offline storage`);
    return 'kept';
  }
  if (!plan.keepPrivateKey && ui.interactive) {
    await ui.pause(`Copy ${file} off this server now (scp, USB), then press Enter to delete it here 复制完成后按回车删除服务器上的私钥`);
    await ctx.system.shred(file);
    ui.line(ui.paint('green', `✔ private key deleted from this server 已从服务器删除私钥 (${file})`));
    return 'deleted';
  }
  ui.warn(
    plan.keepPrivateKey
      ? `--keep-private-key: the private key stays at ${file}`
      : `non-interactive: nobody confirmed a copy, so the private key stays at ${file}`,
  );
  ui.warn(`copy it off this server, then delete it: shred -u ${file}  (复制到离线介质后删除)`);
  return 'kept';
}
