import crypto from 'node:crypto';
import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { reencryptColumns, type EncryptedColumn } from '../../server/src/platform/crypto/encrypted-columns.js';
import { FieldCipher } from '../../server/src/platform/crypto/field-cipher.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';

const PHONES = Array.from({ length: 1203 }, (_, i) => `139${String(10_000_000 + i * 7919).slice(-8)}`);
const digits = (value: string) => value.replace(/\D/g, '');
const COLUMN: EncryptedColumn = { table: 'enc_probe', column: 'phone_enc', context: 'enc_probe.phone', blindIndex: { column: 'phone_bidx', normalize: digits } };

describe(`field key rotation: re-encryption and re-indexing (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let sequelize: Sequelize;
  const k1 = crypto.randomBytes(32);
  const k2 = crypto.randomBytes(32);
  const blind1 = crypto.randomBytes(32);
  const blind2 = crypto.randomBytes(32);
  const original = new FieldCipher({ keys: new Map([['k1', k1]]), activeKeyId: 'k1', blindIndexKey: blind1 });

  const rows = () =>
    sequelize.query<{ id: number; phone_enc: string | null; phone_bidx: string | null }>('SELECT id, phone_enc, phone_bidx FROM enc_probe ORDER BY id', {
      type: QueryTypes.SELECT,
    });

  before(async () => {
    db = await createTestDatabase();
    sequelize = createSequelize({ url: db.url });
    await sequelize.query('CREATE TABLE enc_probe (id INTEGER PRIMARY KEY, phone_enc TEXT NULL, phone_bidx CHAR(64) NULL)');
    for (let i = 0; i < PHONES.length; i += 200) {
      const chunk = PHONES.slice(i, i + 200);
      await sequelize.query(`INSERT INTO enc_probe (id, phone_enc, phone_bidx) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`, {
        replacements: chunk.flatMap((phone, j) => [i + j + 1, original.encrypt(phone, COLUMN.context), original.blindIndex(phone, COLUMN.context)]),
      });
    }
    await sequelize.query('INSERT INTO enc_probe (id, phone_enc, phone_bidx) VALUES (?, NULL, NULL)', { replacements: [PHONES.length + 1] });
  });
  after(async () => {
    await sequelize.close();
    await db.drop();
  });

  it('keeps no phone number readable in the raw table', async () => {
    const stored = await rows();
    const dump = JSON.stringify(stored);
    expect(PHONES.filter((phone) => dump.includes(phone))).to.deep.equal([]);
    // Nor their last eight digits in a ciphertext. (Not checked in the hex blind indexes:
    // 1,203 of them hold some 8-digit run of another phone by chance about once in 50 runs.)
    const ciphertexts = stored.map((row) => row.phone_enc ?? '').join('\n');
    expect(PHONES.filter((phone) => ciphertexts.includes(phone.slice(3)))).to.deep.equal([]);
  });

  it('rewrites every value under the new key in batches, after which the old key is no longer needed', async () => {
    const rotating = new FieldCipher({ keys: new Map([['k1', k1], ['k2', k2]]), activeKeyId: 'k2', blindIndexKey: blind1 });
    const progress: number[] = [];
    const [result] = await reencryptColumns(sequelize, rotating, [COLUMN], { onProgress: (r) => progress.push(r.scanned) });
    expect(result).to.deep.equal({ column: 'enc_probe.phone_enc', scanned: PHONES.length, rewritten: PHONES.length });
    expect(progress).to.deep.equal([500, 1000, PHONES.length]);

    const onlyNew = new FieldCipher({ keys: new Map([['k2', k2]]), activeKeyId: 'k2', blindIndexKey: blind1 });
    const stored = await rows();
    expect(stored.filter((row) => row.phone_enc !== null).map((row) => onlyNew.decrypt(row.phone_enc!, COLUMN.context))).to.deep.equal(PHONES);
    expect(stored.at(-1)).to.deep.include({ phone_enc: null, phone_bidx: null });
    // Indexes were not asked for: unchanged, still found with the blind-index key of old.
    expect(stored[0].phone_bidx).to.equal(original.blindIndex(PHONES[0], COLUMN.context));

    const again = await reencryptColumns(sequelize, rotating, [COLUMN]);
    expect(again[0].rewritten, 'a second run has nothing left to do').to.equal(0);
  });

  it('recomputes the blind indexes under a new blind-index key with reindex', async () => {
    const reindexing = new FieldCipher({ keys: new Map([['k2', k2]]), activeKeyId: 'k2', blindIndexKey: blind2 });
    const [result] = await reencryptColumns(sequelize, reindexing, [COLUMN], { reindex: true });
    expect(result.rewritten).to.equal(PHONES.length);
    const lookup = reindexing.blindIndex(digits(PHONES[42]), COLUMN.context);
    const found = await sequelize.query<{ id: number }>('SELECT id FROM enc_probe WHERE phone_bidx = ?', { replacements: [lookup], type: QueryTypes.SELECT });
    expect(found.map((row) => Number(row.id))).to.deep.equal([43]);
  });

  it('stops on a value it cannot read rather than skipping it silently', async () => {
    await sequelize.query('UPDATE enc_probe SET phone_enc = ? WHERE id = 7', { replacements: ['v1:k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] });
    const withoutK1 = new FieldCipher({ keys: new Map([['k2', k2]]), activeKeyId: 'k2', blindIndexKey: blind2 });
    let caught: unknown;
    try {
      await reencryptColumns(sequelize, withoutK1, [COLUMN]);
    } catch (error) {
      caught = error;
    }
    expect((caught as Error)?.message).to.match(/field key "k1", which this server does not have/);
  });
});
