/**
 * `bin/huiji <command>`: one entry for everything a server needs without npm or the
 * sources, as installed releases run it. Each command is its own module; this only picks one.
 */
const COMMANDS: Record<string, { module: string; summary: string }> = {
  start: { module: '../main.js', summary: 'run the server (console and API)' },
  worker: { module: '../worker.js', summary: 'run a process that only runs background jobs' },
  migrate: { module: './migrate.js', summary: 'apply database migrations; --bootstrap-admin also creates the first admin' },
  backup: { module: './backup.js', summary: 'create, verify, restore backups; snapshot and rollback for upgrades' },
  'backup-key': { module: './backup-key.js', summary: 'generate the backup key pair; export the private key on paper' },
  keys: { module: './keys.js', summary: 'field-encryption keys: status, rotate, reencrypt' },
  audit: { module: './audit.js', summary: 'verify and export the audit log' },
};

const name = process.argv[2];
const command = name ? COMMANDS[name] : undefined;
if (!command) {
  const lines = Object.entries(COMMANDS).map(([key, value]) => `  ${key.padEnd(12)}${value.summary}`);
  const out = name && !['help', '--help', '-h'].includes(name) ? process.stderr : process.stdout;
  out.write(`${name && out === process.stderr ? `unknown command: ${name}\n\n` : ''}usage: huiji <command> [options]\n\n${lines.join('\n')}\n\nhuiji <command> --help shows a command's options.\n`);
  process.exit(out === process.stderr ? 2 : 0);
}
// The command's own parser reads process.argv: make it look as if it was run directly.
process.argv.splice(2, 1);
await import(command.module);
