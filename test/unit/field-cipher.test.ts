import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../server/src/platform/config/load.js';
import { FieldCipher, FieldDecryptError, type FieldKeys } from '../../server/src/platform/crypto/field-cipher.js';
import { addFieldKeyToFile, loadFieldKeys } from '../../server/src/platform/crypto/field-keys.js';

const key = () => crypto.randomBytes(32);
const keysOf = (entries: Record<string, Buffer>, activeKeyId: string, blindIndexKey = key()): FieldKeys => ({
  keys: new Map(Object.entries(entries)),
  activeKeyId,
  blindIndexKey,
});

describe('field encryption (AES-256-GCM) and blind indexes', () => {
  const k1 = key();
  const cipher = new FieldCipher(keysOf({ k1 }, 'k1'));

  it('round-trips a value, with a fresh IV each time and the key id in the stored form', () => {
    const a = cipher.encrypt('13812345678', 'members.phone');
    const b = cipher.encrypt('13812345678', 'members.phone');
    expect(a).to.match(/^v1:k1:[A-Za-z0-9_-]+$/);
    expect(a).to.not.equal(b);
    expect(a).to.not.contain('13812345678');
    expect(cipher.decrypt(a, 'members.phone')).to.equal('13812345678');
    expect(cipher.decrypt(cipher.encrypt('张三@例子.中国', 'members.email'), 'members.email')).to.equal('张三@例子.中国');
  });

  it('refuses a value moved to another column, altered, or written with a key it lacks', () => {
    const stored = cipher.encrypt('13812345678', 'members.phone');
    expect(() => cipher.decrypt(stored, 'members.id_number')).to.throw(FieldDecryptError, /does not authenticate/);
    const body = Buffer.from(stored.split(':')[2], 'base64url');
    body[14] ^= 1;
    expect(() => cipher.decrypt(`v1:k1:${body.toString('base64url')}`, 'members.phone')).to.throw(FieldDecryptError, /does not authenticate/);
    expect(() => cipher.decrypt(stored.replace('v1:k1:', 'v1:k9:'), 'members.phone')).to.throw(FieldDecryptError, /field key "k9"/);
    expect(() => cipher.decrypt('13812345678', 'members.phone')).to.throw(FieldDecryptError, /not a Huiji ciphertext/);
    expect(() => cipher.decrypt('v1:k1:AAAA', 'members.phone')).to.throw(FieldDecryptError, /truncated/);
  });

  it('reads values of an old key after rotation and says which values are stale', () => {
    const old = cipher.encrypt('13812345678', 'members.phone');
    const rotated = new FieldCipher(keysOf({ k1, k2: key() }, 'k2'));
    expect(rotated.decrypt(old, 'members.phone')).to.equal('13812345678');
    expect(rotated.isStale(old)).to.equal(true);
    const fresh = rotated.encrypt('13812345678', 'members.phone');
    expect(fresh).to.match(/^v1:k2:/);
    expect(rotated.isStale(fresh)).to.equal(false);
  });

  it('indexes equal values alike within a context only, under its own key', () => {
    const blind = key();
    const one = new FieldCipher(keysOf({ k1 }, 'k1', blind));
    const two = new FieldCipher(keysOf({ k1, k2: key() }, 'k2', blind));
    expect(one.blindIndex('13812345678', 'members.phone')).to.match(/^[0-9a-f]{64}$/);
    expect(one.blindIndex('13812345678', 'members.phone')).to.equal(two.blindIndex('13812345678', 'members.phone'));
    expect(one.blindIndex('13812345678', 'members.phone')).to.not.equal(one.blindIndex('13812345678', 'members.referrer_phone'));
    expect(one.blindIndex('13812345678', 'members.phone')).to.not.equal(new FieldCipher(keysOf({ k1 }, 'k1')).blindIndex('13812345678', 'members.phone'));
  });

  it('rejects a keyring that cannot work', () => {
    expect(() => new FieldCipher(keysOf({ k1 }, 'k2'))).to.throw(/active field key k2/);
    expect(() => new FieldCipher(keysOf({ k1: crypto.randomBytes(16) }, 'k1'))).to.throw(/32 bytes/);
    expect(() => new FieldCipher(keysOf({ k1 }, 'k1', k1))).to.throw(/differ from the blind-index key/);
  });
});

describe('field keys: configuration and key file', () => {
  const b64 = () => crypto.randomBytes(32).toString('base64');
  const load = (env: Record<string, string>) => loadConfig({ cwd: os.tmpdir(), env });

  it('reads several keys from HUIJI_FIELD_KEYS with the active one named', () => {
    const [a, b, blind] = [b64(), b64(), b64()];
    const config = load({ HUIJI_FIELD_KEYS: `k1:${a}, k2:${b}`, HUIJI_ACTIVE_FIELD_KEY: 'k2', HUIJI_BLIND_INDEX_KEY: blind });
    expect(config.crypto).to.deep.equal({ fieldKeys: { k1: a, k2: b }, activeFieldKey: 'k2', blindIndexKey: blind });
    const keys = loadFieldKeys(os.tmpdir(), config.crypto);
    expect(keys.source).to.equal('config');
    expect(keys.activeKeyId).to.equal('k2');
  });

  it('names the bad setting without repeating the secret', () => {
    const secret = crypto.randomBytes(16).toString('base64');
    expect(() => load({ HUIJI_FIELD_KEYS: `k1:${secret}`, HUIJI_BLIND_INDEX_KEY: b64() })).to.throw(/HUIJI_FIELD_KEYS=<hidden> is invalid: expected base64 of 32 random bytes/);
    try {
      load({ HUIJI_FIELD_KEYS: `k1:${secret}`, HUIJI_BLIND_INDEX_KEY: b64() });
    } catch (error) {
      expect((error as Error).message).to.not.contain(secret);
    }
    expect(() => load({ HUIJI_FIELD_KEYS: `k1:${b64()},k2:${b64()}`, HUIJI_BLIND_INDEX_KEY: b64() })).to.throw(/"crypto.activeFieldKey" is invalid: expected the id of the key new values are written with \(one of k1, k2\)/);
    expect(() => load({ HUIJI_FIELD_KEYS: `k1:${b64()}` })).to.throw(/crypto.blindIndexKey" is invalid: expected crypto.fieldKeys and crypto.blindIndexKey to be set together/);
    expect(() => load({ HUIJI_FIELD_KEYS: `K 1:${b64()}`, HUIJI_BLIND_INDEX_KEY: b64() })).to.throw(/expected key ids of lower-case letters/);
  });

  it('stars the password of a database URL in an error', () => {
    expect(() => load({ HUIJI_DATABASE_URL: 'postgres://huiji:s3cret@db/huiji' })).to.throw('HUIJI_DATABASE_URL="postgres://huiji:***@db/huiji" is invalid');
  });

  it('creates a 0600 key file on first start, reads the same keys later, and adds rotated keys to it', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-keys-'));
    try {
      const first = loadFieldKeys(dataDir, {});
      expect(first.source).to.equal('file');
      expect(first.activeKeyId).to.equal('k1');
      const file = path.join(dataDir, 'keys', 'field-keys.json');
      expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
      const again = loadFieldKeys(dataDir, {});
      expect(again.keys.get('k1')!.equals(first.keys.get('k1')!)).to.equal(true);
      expect(again.blindIndexKey.equals(first.blindIndexKey)).to.equal(true);

      expect(addFieldKeyToFile(dataDir)).to.equal('k2');
      const rotated = loadFieldKeys(dataDir, {});
      expect(rotated.activeKeyId).to.equal('k2');
      expect([...rotated.keys.keys()]).to.deep.equal(['k1', 'k2']);
      expect(rotated.keys.get('k1')!.equals(first.keys.get('k1')!)).to.equal(true);
      expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
