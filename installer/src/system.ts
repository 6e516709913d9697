import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * THE one way the installer changes the machine or runs a program. Every action is recorded
 * (and logged); with `dryRun` nothing that changes anything happens, so tests can assert
 * what an install as root on a systemd server would run (Ghost-CLI's `ui.sudo`).
 * Read-only probes (`query`, `which`) run in both modes.
 */
export type ActionOp = 'run' | 'query' | 'write' | 'mkdir' | 'symlink' | 'chown' | 'chmod' | 'remove' | 'rename';

export interface Action {
  op: ActionOp;
  /** One line, the way a shell would read it: "systemctl enable huiji", "write /etc/huiji/x (0600)". */
  summary: string;
  changes: boolean;
}

export interface RunOptions {
  /** Variables added to the environment (logged with secrets redacted). */
  env?: Record<string, string>;
  /** Drop inherited HUIJI_* variables: the operator's shell must not steer a release command. */
  cleanEnv?: boolean;
  cwd?: string;
  /** `inherit` hands the terminal to the program (its output and exit code are the result). */
  stdio?: 'pipe' | 'inherit';
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A system account the service runs as; files it must read or write are chowned to it. */
export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
}

/** Who owns a path: the service user, or root with the service user's group ("root:huiji"). */
export interface Owner {
  label: string;
  uid: number;
  gid: number;
}

export const ownedBy = (user: ServiceUser): Owner => ({ label: `${user.name}:${user.name}`, uid: user.uid, gid: user.gid });
export const rootWithGroupOf = (user: ServiceUser): Owner => ({ label: `root:${user.name}`, uid: 0, gid: user.gid });

export interface SystemOptions {
  dryRun?: boolean;
  log?: (kind: string, text: string) => void;
}

const octal = (mode: number) => `0${(mode & 0o7777).toString(8)}`;
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`);

export class System {
  readonly actions: Action[] = [];
  readonly dryRun: boolean;

  constructor(private readonly options: SystemOptions = {}) {
    this.dryRun = options.dryRun === true;
  }

  private record(op: ActionOp, summary: string, changes: boolean): void {
    this.actions.push({ op, summary, changes });
    this.options.log?.(changes ? (this.dryRun ? 'dry-run' : 'do') : 'probe', summary);
  }

  /** Runs a program that changes something; in a dry run it is only recorded and "succeeds". */
  async run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    this.record('run', this.describe(command, args, options), true);
    if (this.dryRun) return { code: 0, stdout: '', stderr: '' };
    return this.spawn(command, args, options);
  }

  /** Runs a program that only reads (id, nginx -v, systemd-analyze verify); also in a dry run. */
  async query(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    this.record('query', this.describe(command, args, options), false);
    return this.spawn(command, args, options);
  }

  private describe(command: string, args: string[], options: RunOptions): string {
    const env = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${shellWord(value)}`);
    return [...env, command, ...args].map((word, i) => (i < env.length ? word : shellWord(word))).join(' ');
  }

  private spawn(command: string, args: string[], options: RunOptions): Promise<RunResult> {
    const base = { ...process.env };
    if (options.cleanEnv) for (const key of Object.keys(base)) if (key.startsWith('HUIJI_')) delete base[key];
    return new Promise((resolve) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: { ...base, ...options.env },
        stdio: options.stdio === 'inherit' ? ['inherit', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
        timeout: options.timeoutMs,
      });
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', (error: NodeJS.ErrnoException) => {
        // A missing program answers like a shell would: 127.
        resolve({ code: error.code === 'ENOENT' ? 127 : 1, stdout, stderr: `${stderr}${error.message}` });
      });
      child.once('close', (code, signal) => {
        const result = { code: code ?? (signal ? 128 + 15 : 1), stdout, stderr };
        const output = [stdout.trim(), stderr.trim()].filter(Boolean).join('\n');
        this.options.log?.('exit', `${command} exited ${result.code}${output ? `\n${output}` : ''}`);
        resolve(result);
      });
    });
  }

  /**
   * Writes a file atomically (temp file + rename) with an explicit mode, whatever the umask.
   * Returns the previous content so a failed install can put it back.
   */
  async writeFile(file: string, content: string, options: { mode: number; owner?: Owner | null }): Promise<{ previous: Buffer | null }> {
    const previous = fs.existsSync(file) ? fs.readFileSync(file) : null;
    this.record('write', `write ${file} (${octal(options.mode)}${options.owner ? ` ${options.owner.label}` : ''})`, true);
    if (this.dryRun) return { previous };
    const temp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(temp, content, { mode: options.mode });
    fs.chmodSync(temp, options.mode);
    if (options.owner) fs.chownSync(temp, options.owner.uid, options.owner.gid);
    fs.renameSync(temp, file);
    return { previous };
  }

  /**
   * Creates a directory and its missing parents; mode and owner apply to the last one,
   * existing or not (a re-run repairs them). Returns the directories it created, outermost first.
   */
  async mkdir(dir: string, options: { mode: number; owner?: Owner | null }): Promise<string[]> {
    const created: string[] = [];
    for (let current = path.resolve(dir); !fs.existsSync(current); current = path.dirname(current)) created.unshift(current);
    this.record('mkdir', `mkdir ${dir} (${octal(options.mode)}${options.owner ? ` ${options.owner.label}` : ''})`, true);
    if (this.dryRun) return created;
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, options.mode);
    if (options.owner) fs.chownSync(dir, options.owner.uid, options.owner.gid);
    return created;
  }

  /** Points `link` at `target`, replacing an existing link in one rename (never a moment without it). */
  async symlink(target: string, link: string): Promise<{ previousTarget: string | null }> {
    let previousTarget: string | null;
    try {
      previousTarget = fs.readlinkSync(link);
    } catch {
      previousTarget = null;
    }
    this.record('symlink', `ln -sfn ${target} ${link}`, true);
    if (this.dryRun) return { previousTarget };
    const temp = `${link}.tmp-${process.pid}`;
    fs.rmSync(temp, { force: true });
    fs.symlinkSync(target, temp);
    fs.renameSync(temp, link);
    return { previousTarget };
  }

  async chown(target: string, owner: Owner, options: { recursive?: boolean } = {}): Promise<void> {
    this.record('chown', `chown ${options.recursive ? '-R ' : ''}${owner.label} ${target}`, true);
    if (this.dryRun || !fs.existsSync(target)) return;
    const walk = (entry: string) => {
      fs.lchownSync(entry, owner.uid, owner.gid);
      if (options.recursive && fs.lstatSync(entry).isDirectory()) for (const child of fs.readdirSync(entry)) walk(path.join(entry, child));
    };
    walk(target);
  }

  async chmod(target: string, mode: number): Promise<void> {
    this.record('chmod', `chmod ${octal(mode)} ${target}`, true);
    if (!this.dryRun) fs.chmodSync(target, mode);
  }

  async remove(target: string): Promise<void> {
    this.record('remove', `rm -rf ${target}`, true);
    if (!this.dryRun) fs.rmSync(target, { recursive: true, force: true });
  }

  /** Overwrites a file in place with random bytes, flushes, then deletes it (private keys). */
  async shred(file: string): Promise<void> {
    this.record('remove', `shred -u ${file}`, true);
    if (this.dryRun) return;
    const fd = fs.openSync(file, 'r+');
    try {
      fs.writeSync(fd, crypto.randomBytes(fs.fstatSync(fd).size), 0);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.rmSync(file);
  }

  async rename(from: string, to: string): Promise<void> {
    this.record('rename', `mv ${from} ${to}`, true);
    if (!this.dryRun) fs.renameSync(from, to);
  }

  /** The account's ids, or null when there is no such account. */
  async lookupUser(name: string): Promise<ServiceUser | null> {
    const uid = await this.query('id', ['-u', name]);
    const gid = await this.query('id', ['-g', name]);
    if (uid.code !== 0 || gid.code !== 0) return null;
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }

  /** A system account with no login shell and no home of its own. */
  async useradd(name: string, home: string): Promise<void> {
    const result = await this.run('useradd', ['--system', '--user-group', '--home-dir', home, '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
    if (result.code !== 0) throw new Error(`useradd ${name} failed: ${result.stderr.trim() || `exit ${result.code}`}`);
  }

  async userdel(name: string): Promise<void> {
    await this.run('userdel', [name]);
  }

  async systemctl(...args: string[]): Promise<RunResult> {
    const result = await this.run('systemctl', args);
    if (result.code !== 0) throw new Error(`systemctl ${args.join(' ')} failed: ${result.stderr.trim() || `exit ${result.code}`}`);
    return result;
  }

  /** The program's path on PATH, or null. */
  which(command: string): string | null {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      if (!dir) continue;
      const candidate = path.join(dir, command);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
    return null;
  }

  /** Services can be started only where systemd runs the machine (not in most containers). */
  isSystemdPid1(): boolean {
    try {
      return fs.readFileSync('/proc/1/comm', 'utf8').trim() === 'systemd';
    } catch {
      return false;
    }
  }

  isRoot(): boolean {
    return process.getuid?.() === 0;
  }
}
