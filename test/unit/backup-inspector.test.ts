import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { expect } from 'chai';
import { listBackupFiles } from '../../server/src/modules/backup/backup-files.js';
import { BackupInspector } from '../../server/src/modules/backup/inspector.js';
import { verificationOf } from '../../server/src/modules/backup/listing.js';
import { EncryptStream } from '../../server/src/platform/backup/container.js';

/**
 * What the list knows of each file without the private key: the header at once, the
 * framing check within a time budget (else "unchecked" while it finishes in the
 * background), each remembered until the file changes.
 */
describe('backup inspector', () => {
  let dir: string;
  const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const header = { kind: 'backup' as const, createdAt: '2026-11-27T19:30:00.000Z', huijiVersion: '0.1.0', schemaVersion: '20261127100000', dialect: 'sqlite' as const, host: 'pos-server' };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-inspector-'));
    // Three chunks of 1 MiB and a little more.
    const body = crypto.randomBytes(3 * (1 << 20) + 1234);
    await pipeline(Readable.from([body]), new EncryptStream(publicKey, header), fs.createWriteStream(path.join(dir, 'huiji-20261127-193000.hjbak')));
    fs.writeFileSync(path.join(dir, 'huiji-20261128-193000.hjbak.partial'), 'still being written');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a backup');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists only finished .hjbak files, and none in a directory that does not exist yet', async () => {
    expect((await listBackupFiles(dir)).map((f) => f.name)).to.deep.equal(['huiji-20261127-193000.hjbak']);
    expect(await listBackupFiles(path.join(dir, 'missing'))).to.deep.equal([]);
  });

  it('answers unchecked when the framing check outlasts the budget, then the finished result', async () => {
    const inspector = new BackupInspector(0);
    const files = await listBackupFiles(dir);
    const [quick] = await inspector.inspect(files);
    expect(quick.header).to.deep.include({ ...header, format: 1 });
    expect(quick.structure).to.equal(null);
    expect(verificationOf(files[0], quick, null)).to.deep.equal({ state: 'unchecked', at: null, detail: null });

    await new Promise((resolve) => setTimeout(resolve, 200));
    const [later] = await inspector.inspect(files);
    expect(later.structure).to.deep.equal({ ok: true, chunks: 4 });
    expect(verificationOf(files[0], later, null).state).to.equal('structure_ok');
  });

  it('checks a file again once it changed, and keeps a damaged verdict over an older verification record', async () => {
    const inspector = new BackupInspector(5_000);
    const file = path.join(dir, 'huiji-20261127-193000.hjbak');
    expect((await inspector.inspect(await listBackupFiles(dir)))[0].structure?.ok).to.equal(true);
    fs.appendFileSync(file, Buffer.from([1, 2, 3]));
    const files = await listBackupFiles(dir);
    const [again] = await inspector.inspect(files);
    expect(again.structure?.ok).to.equal(false);
    const record = { verifiedAt: new Date().toISOString(), ok: true };
    expect(verificationOf(files[0], again, record).state).to.equal('damaged');
  });
});
