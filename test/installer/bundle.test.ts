import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { freePort } from '../support/server-process.js';
import { builtBundle, REPO_VERSION, type BuiltBundle } from './bundle-fixture.js';
import { ADMIN_URL, adminConnection, dropInstall, explain, randomDbName, runProgram } from './installer-kit.js';

function regularFiles(root: string, relative = ''): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...regularFiles(root, child));
    else if (entry.isFile()) files.push(child);
  }
  return files;
}

describe('installer bundle', function () {
  this.timeout(600_000);
  let bundle: BuiltBundle;

  before(async () => {
    bundle = await builtBundle();
  });

  it('is huiji-<version>-linux-x64.tar.gz with a .sha256 beside it that sha256sum -c accepts', async () => {
    expect(path.basename(bundle.tarball)).to.equal(`huiji-${REPO_VERSION}-linux-x64.tar.gz`);
    expect(bundle.report.bytes).to.equal(fs.statSync(bundle.tarball).size);
    const check = await runProgram('sha256sum', ['-c', `${path.basename(bundle.tarball)}.sha256`], { cwd: bundle.outDir });
    expect(check.code, explain(check)).to.equal(0);
    expect(check.stdout.trim()).to.equal(`${path.basename(bundle.tarball)}: OK`);
    expect(fs.readFileSync(`${bundle.tarball}.sha256`, 'utf8')).to.equal(`${bundle.report.sha256}  ${path.basename(bundle.tarball)}\n`);
  });

  it('unpacks to one huiji-<version>/ folder whose SHA256SUMS covers every file and catches a changed byte', async () => {
    expect(fs.readdirSync(path.dirname(bundle.root))).to.deep.equal([`huiji-${REPO_VERSION}`]);
    const check = await runProgram('sha256sum', ['-c', '--quiet', '--strict', 'SHA256SUMS'], { cwd: bundle.root });
    expect(check.code, explain(check)).to.equal(0);

    const listed = fs
      .readFileSync(path.join(bundle.root, 'SHA256SUMS'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.replace(/^[0-9a-f]{64} {2}/, ''));
    expect(listed.length).to.be.greaterThan(1000);
    expect([...listed].sort()).to.deep.equal(regularFiles(bundle.root).filter((file) => file !== 'SHA256SUMS').sort());

    const victim = path.join(bundle.root, 'dist', 'server', 'main.js');
    const original = fs.readFileSync(victim);
    const changed = Buffer.from(original);
    changed[10] ^= 0x01;
    fs.writeFileSync(victim, changed);
    try {
      const tampered = await runProgram('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: bundle.root });
      expect(tampered.code).to.not.equal(0);
      expect(tampered.stdout).to.contain('dist/server/main.js: FAILED');
    } finally {
      fs.writeFileSync(victim, original);
    }
  });

  it('holds the launcher, the built server, console and installer, and production packages only', async () => {
    const launcher = path.join(bundle.root, 'huiji-installer');
    expect(fs.statSync(launcher).mode & 0o111).to.equal(0o111);
    const version = await runProgram(launcher, ['--version']);
    expect(version.code, explain(version)).to.equal(0);
    expect(version.stdout.trim()).to.equal(REPO_VERSION);

    for (const file of ['dist/server/main.js', 'dist/admin-web/index.html', 'dist/installer/cli.js', 'bin/huiji', 'installer/bin/huiji-installer.mjs', 'deploy/huiji.service.tmpl', 'docs/it-guide.en.md', 'docs/it-guide.zh-CN.md', 'package-lock.json']) {
      expect(fs.existsSync(path.join(bundle.root, file)), file).to.equal(true);
    }
    expect(fs.statSync(path.join(bundle.root, 'bin', 'huiji')).mode & 0o111).to.equal(0o111);
    // Sources and build tools stay home: a bundle never builds anything.
    for (const absent of ['server', 'admin-web', 'scripts', 'test', 'installer/src', 'node_modules/typescript', 'node_modules/vite', 'node_modules/mocha']) {
      expect(fs.existsSync(path.join(bundle.root, absent)), absent).to.equal(false);
    }

    const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
    const entries = Object.entries(lock.packages).filter(([location]) => location.startsWith('node_modules/'));
    const devPresent = entries.filter(([location, entry]) => entry.dev && fs.existsSync(path.join(bundle.root, location)));
    expect(devPresent.map(([location]) => location)).to.deep.equal([]);
    const prodMissing = entries.filter(([location, entry]) => !entry.dev && !entry.optional && !fs.existsSync(path.join(bundle.root, location)));
    expect(prodMissing.map(([location]) => location)).to.deep.equal([]);
  });

  it('has a launcher that refuses a glibc older than its native modules need (exit 5)', async () => {
    expect(bundle.report.glibc).to.match(/^2\.\d+$/);
    const fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-old-glibc-'));
    try {
      fs.writeFileSync(path.join(fakeBin, 'getconf'), '#!/bin/sh\necho "glibc 2.17"\n', { mode: 0o755 });
      const result = await runProgram(path.join(bundle.root, 'huiji-installer'), ['--version'], { env: { PATH: `${fakeBin}:${process.env.PATH ?? ''}` } });
      expect(result.code, explain(result)).to.equal(5);
      expect(result.stderr).to.contain(`need glibc ${bundle.report.glibc} or newer; this system has 2.17`);
    } finally {
      fs.rmSync(fakeBin, { recursive: true, force: true });
    }
  });

  it("carries sqlite3's and argon2's native binaries, built and loadable from the bundle", async () => {
    const sqliteBinary = path.join(bundle.root, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
    expect(fs.statSync(sqliteBinary).size).to.be.greaterThan(100_000);
    const probe = [
      "const sqlite3 = require('sqlite3');",
      "const { hash, verify } = require('@node-rs/argon2');",
      "new sqlite3.Database(':memory:').get('SELECT sqlite_version() AS v', async (error, row) => {",
      '  if (error) throw error;',
      "  const ok = await verify(await hash('pw-123456789'), 'pw-123456789');",
      '  console.log(JSON.stringify({ sqlite: row.v, argon2: ok, from: require.resolve("sqlite3") }));',
      '});',
    ].join('\n');
    const result = await runProgram(process.execPath, ['-e', probe], { cwd: bundle.root });
    expect(result.code, explain(result)).to.equal(0);
    const loaded = JSON.parse(result.stdout) as { sqlite: string; argon2: boolean; from: string };
    expect(loaded.sqlite).to.match(/^3\.\d+/);
    expect(loaded.argon2).to.equal(true);
    expect(loaded.from.startsWith(bundle.root)).to.equal(true);
  });

  describe('offline install', () => {
    let work: string;
    let dbName: string;

    before(function () {
      // A network namespace needs root (CAP_SYS_ADMIN); the test box runs the suite as root.
      if (process.getuid?.() !== 0) this.skip();
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-offline-'));
      dbName = randomDbName();
    });

    after(async () => {
      if (dbName) await dropInstall(dbName);
      if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    /*
     * `unshare -n` gives the install a network namespace of its own: only a loopback device,
     * no route anywhere. MariaDB listens in the host's namespace, so 127.0.0.1:3306 in there
     * is empty; its unix socket, a file, is still reachable. A small relay inside the
     * namespace listens on 127.0.0.1:3306 and passes bytes to that socket, so the installer
     * and the server use their ordinary mysql:// URLs while nothing can reach a registry,
     * a mirror or any other host.
     */
    it('installs from the unpacked bundle under unshare -n and the installed release serves the console and logs in', async () => {
      const connection = await adminConnection();
      const [[row]] = await connection.query<import('mysql2').RowDataPacket[]>('SELECT @@socket AS socket');
      await connection.end();
      const socketPath = String(row.socket);
      expect(fs.existsSync(socketPath), `MariaDB socket ${socketPath}`).to.equal(true);

      const prefix = path.join(work, 'prefix');
      const port = await freePort();
      const adminPassword = 'Offline-install-42';
      fs.writeFileSync(path.join(work, 'relay.mjs'), RELAY);
      fs.writeFileSync(path.join(work, 'probe.mjs'), PROBE);
      const script = [
        'set -e',
        'ip link set lo up',
        'echo "links: $(ip -o link show | awk -F\': \' \'{print $2}\' | tr \'\\n\' \' \')"',
        'echo "routes: $(ip route show | wc -l) $(ip -6 route show | grep -vc \'^\\(::1\\|fe80\\)\' || true)"',
        `node relay.mjs 127.0.0.1 3306 ${socketPath} > relay.log 2>&1 &`,
        'relay=$!',
        'server=',
        'trap \'[ -n "$server" ] && kill $server 2>/dev/null; kill $relay 2>/dev/null; wait 2>/dev/null || true\' EXIT',
        'for i in $(seq 50); do grep -q ready relay.log && break; sleep 0.1; done',
        `cd ${bundle.root}`,
        'status=0',
        `./huiji-installer install --non-interactive --prefix ${prefix} --db-admin-url ${ADMIN_URL} --db-name ${dbName} --port ${port} --admin-password ${adminPassword} --no-service > ${work}/install.log 2>&1 || status=$?`,
        'echo "install exit: $status"',
        '[ "$status" = 0 ] || exit 1',
        `${prefix}/opt/huiji/current/bin/huiji start > ${work}/server.log 2>&1 &`,
        'server=$!',
        `node ${work}/probe.mjs ${port} admin ${adminPassword}`,
      ].join('\n');
      fs.writeFileSync(path.join(work, 'offline.sh'), script);

      // An empty npm cache and home: even a cached package could not slip in.
      const result = await runProgram('unshare', ['-n', 'sh', path.join(work, 'offline.sh')], {
        cwd: work,
        env: { HOME: work, npm_config_cache: path.join(work, 'npm-cache'), npm_config_offline: 'true' },
      });
      const installLog = fs.existsSync(path.join(work, 'install.log')) ? fs.readFileSync(path.join(work, 'install.log'), 'utf8') : '';
      const serverLog = fs.existsSync(path.join(work, 'server.log')) ? fs.readFileSync(path.join(work, 'server.log'), 'utf8') : '';
      const context = `${explain(result)}\n--- install\n${installLog}\n--- server\n${serverLog}`;
      expect(result.code, context).to.equal(0);

      expect(result.stdout, context).to.contain('links: lo \n');
      expect(result.stdout, context).to.match(/routes: 0 0\n/);
      expect(result.stdout, context).to.contain('install exit: 0');
      expect(installLog.trim().split('\n').pop()).to.equal(`${prefix}/opt/huiji/current/bin/huiji start`);
      const probe = JSON.parse(result.stdout.trim().split('\n').pop()!) as { readyz: number; healthz: { version: string }; console: { status: number; html: boolean }; login: number };
      expect(probe.readyz).to.equal(200);
      expect(probe.healthz.version).to.equal(REPO_VERSION);
      expect(probe.console).to.deep.equal({ status: 200, html: true });
      expect(probe.login, context).to.equal(200);

      expect(fs.readlinkSync(path.join(prefix, 'opt', 'huiji', 'current'))).to.equal(`releases/${REPO_VERSION}`);
      const installed = await adminConnection();
      const [migrations] = await installed.query<import('mysql2').RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${dbName}\`.huiji_migrations`);
      await installed.end();
      expect(Number(migrations[0].n)).to.be.greaterThan(0);
    });
  });
});

/** Inside the namespace: 127.0.0.1:<port> -> the MariaDB unix socket, bytes both ways. */
const RELAY = `import net from 'node:net';
const [host, port, socketPath] = process.argv.slice(2);
net
  .createServer((client) => {
    const upstream = net.connect(socketPath);
    const close = () => { client.destroy(); upstream.destroy(); };
    client.on('error', close);
    upstream.on('error', close);
    client.pipe(upstream).pipe(client);
  })
  .listen(Number(port), host, () => process.stdout.write('ready\\n'));
`;

/** Inside the namespace: waits for /readyz, then checks the console page and a login. */
const PROBE = `const [port, username, password] = process.argv.slice(2);
const base = 'http://127.0.0.1:' + port;
const deadline = Date.now() + 60000;
let readyz = 0;
while (Date.now() < deadline) {
  try {
    readyz = (await fetch(base + '/readyz')).status;
    if (readyz === 200) break;
  } catch {}
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const healthz = await (await fetch(base + '/healthz')).json();
const page = await fetch(base + '/');
const html = (await page.text()).includes('<div id="app"');
const login = await fetch(base + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
console.log(JSON.stringify({ readyz, healthz, console: { status: page.status, html }, login: login.status }));
`;
