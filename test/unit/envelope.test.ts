import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import forge from 'node-forge';
import { EnvelopeError, openEnvelope, sealEnvelope } from '../../server/src/platform/crypto/envelope.js';
import { loadOrCreateLoginKeys } from '../../server/src/platform/crypto/login-keys.js';

describe('password envelope', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-keys-'));
  const keys = loadOrCreateLoginKeys(dataDir);

  it('keeps the private key in the data directory, readable by the owner only, and reuses it', () => {
    const file = path.join(dataDir, 'keys', 'login-rsa-private.pem');
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    expect(loadOrCreateLoginKeys(dataDir).keyId).to.equal(keys.keyId);
  });

  it('opens what Node seals', () => {
    const envelope = sealEnvelope(keys.keyId, keys.publicKeyPem, { password: '密码Pass#1', nonce: 'n' });
    expect(openEnvelope(keys, envelope)).to.deep.equal({ password: '密码Pass#1', nonce: 'n' });
  });

  it('opens what the console seals with node-forge (RSA-OAEP SHA-256 + AES-256-GCM)', () => {
    const aesKey = forge.random.getBytesSync(32);
    const iv = forge.random.getBytesSync(12);
    const cipher = forge.cipher.createCipher('AES-GCM', aesKey);
    cipher.start({ iv, tagLength: 128 });
    cipher.update(forge.util.createBuffer(forge.util.encodeUtf8(JSON.stringify({ password: '店长Pass#2026' }))));
    cipher.finish();
    const wrapped = forge.pki.publicKeyFromPem(keys.publicKeyPem).encrypt(aesKey, 'RSA-OAEP', {
      md: forge.md.sha256.create(),
      mgf1: { md: forge.md.sha256.create() },
    });
    const envelope = {
      keyId: keys.keyId,
      key: forge.util.encode64(wrapped),
      iv: forge.util.encode64(iv),
      data: forge.util.encode64(cipher.output.getBytes() + cipher.mode.tag.getBytes()),
    };
    expect(openEnvelope(keys, envelope)).to.deep.equal({ password: '店长Pass#2026' });
  });

  it('refuses a flipped bit, a foreign key id and garbage', () => {
    const envelope = sealEnvelope(keys.keyId, keys.publicKeyPem, { password: 'x' });
    const data = Buffer.from(envelope.data, 'base64');
    data[data.length - 1] ^= 0x80;
    expect(() => openEnvelope(keys, { ...envelope, data: data.toString('base64') })).to.throw(EnvelopeError);
    expect(() => openEnvelope(keys, { ...envelope, keyId: 'someone-else' })).to.throw(EnvelopeError);
    expect(() => openEnvelope(keys, { ...envelope, key: Buffer.from('junk').toString('base64') })).to.throw(EnvelopeError);
  });
});
