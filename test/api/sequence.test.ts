import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
import { withTransaction } from '../../server/src/platform/db/transaction.js';
import { nextInSequence, reserveInSequence } from '../../server/src/platform/ids/sequence.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';

describe(`named sequences (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let sequelize: Sequelize;
  let other: Sequelize;

  before(async () => {
    db = await createTestDatabase();
    sequelize = createSequelize({ url: db.url });
    await runMigrations(sequelize);
    // A second pool on the same database stands in for a second node.
    other = createSequelize({ url: db.url });
  });
  after(async () => {
    await other.close();
    await sequelize.close();
    await db.drop();
  });

  it('starts at 1 and hands out each number once to concurrent callers on two nodes, without gaps', async () => {
    const taken = await Promise.all(Array.from({ length: 100 }, (_, i) => nextInSequence(i % 2 ? sequelize : other, 'race')));
    expect([...taken].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('hands a rolled-back number out again and keeps counters apart', async () => {
    expect(await nextInSequence(sequelize, 'cards')).to.equal(1);
    try {
      await withTransaction(sequelize, async () => {
        expect(await nextInSequence(sequelize, 'cards')).to.equal(2);
        throw new Error('the registration failed');
      });
    } catch (error) {
      expect((error as Error).message).to.equal('the registration failed');
    }
    expect(await nextInSequence(sequelize, 'cards')).to.equal(2);
    expect(await nextInSequence(sequelize, 'orders')).to.equal(1);
  });

  it('reserves blocks of consecutive numbers that never overlap single numbers or each other', async () => {
    const results = await Promise.all([
      reserveInSequence(sequelize, 'blocks', 1000),
      nextInSequence(other, 'blocks'),
      reserveInSequence(other, 'blocks', 10),
      nextInSequence(sequelize, 'blocks'),
    ]);
    const taken = [
      ...Array.from({ length: 1000 }, (_, i) => results[0] + i),
      results[1],
      ...Array.from({ length: 10 }, (_, i) => results[2] + i),
      results[3],
    ].sort((a, b) => a - b);
    expect(taken).to.deep.equal(Array.from({ length: 1012 }, (_, i) => i + 1));
  });
});
