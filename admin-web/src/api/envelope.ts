import { getPublicKey, type PublicKeyInfo } from './auth';
import { ApiError, CLIENT_ERROR_CODES } from './http';
import { i18n } from '@/locales';

/** What the server decrypts: an RSA-OAEP-wrapped AES-256-GCM key and the sealed JSON. */
export interface Envelope {
  keyId: string;
  /** base64 of the RSA-OAEP (SHA-256, MGF1 SHA-256) wrapped AES key */
  key: string;
  /** base64 of the 12-byte GCM IV */
  iv: string;
  /** base64 of the ciphertext followed by the 16-byte GCM tag */
  data: string;
}

export const ENVELOPE_ALGORITHM = 'RSA-OAEP-256+A256GCM';

// node-forge rather than crypto.subtle: intranet consoles are often served over plain HTTP,
// where browsers withhold crypto.subtle. Loaded on first submit so the login page stays small.
const loadForge = () => import('./forge-subset').then((module) => module.default);

/** Seals fields with a fresh public key and nonce; call once per submit (a nonce is single-use). */
export async function sealFields(fields: Record<string, string>): Promise<Envelope> {
  const [forge, publicKey] = await Promise.all([loadForge(), getPublicKey()]);
  const receivedAt = Date.now();
  return seal(forge, publicKey, receivedAt, fields);
}

type Forge = Awaited<ReturnType<typeof loadForge>>;

function seal(forge: Forge, info: PublicKeyInfo, receivedAt: number, fields: Record<string, string>): Envelope {
  if (info.algorithm !== ENVELOPE_ALGORITHM) {
    throw new ApiError(0, CLIENT_ERROR_CODES.badResponse, i18n.global.t('common.unknownError'));
  }
  // The server checks the timestamp against its own clock; shop PCs' clocks drift.
  const timestamp = Date.now() + (info.serverTime - receivedAt);
  const plaintext = JSON.stringify({ ...fields, nonce: info.nonce, timestamp });

  const aesKey = forge.random.getBytesSync(32);
  const iv = forge.random.getBytesSync(12);
  const cipher = forge.cipher.createCipher('AES-GCM', aesKey);
  cipher.start({ iv, tagLength: 128 });
  cipher.update(forge.util.createBuffer(forge.util.encodeUtf8(plaintext)));
  cipher.finish();
  const sealed = cipher.output.getBytes() + cipher.mode.tag.getBytes();

  // pki.publicKeyFromPem lives in forge's X.509 module; decoding the SPKI by hand spares loading it.
  const spki = forge.pem.decode(info.publicKey)[0];
  const rsaKey = forge.pki.publicKeyFromAsn1(forge.asn1.fromDer(spki.body));
  const wrappedKey = rsaKey.encrypt(aesKey, 'RSA-OAEP', {
    md: forge.md.sha256.create(),
    mgf1: { md: forge.md.sha256.create() },
  });

  return {
    keyId: info.keyId,
    key: forge.util.encode64(wrappedKey),
    iv: forge.util.encode64(iv),
    data: forge.util.encode64(sealed),
  };
}
