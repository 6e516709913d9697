import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { afterCommit, withTransaction } from '../../server/src/platform/db/transaction.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';

describe(`withTransaction and afterCommit (${TEST_DIALECT})`, () => {
  let db: TestDatabase;
  let sequelize: Sequelize;
  before(async () => {
    db = await createTestDatabase();
    sequelize = createSequelize({ url: db.url });
    await sequelize.query('CREATE TABLE tx_probe (id INTEGER PRIMARY KEY, note VARCHAR(20))');
  });
  after(async () => {
    await sequelize.close();
    await db.drop();
  });
  beforeEach(() => sequelize.query('DELETE FROM tx_probe'));

  const count = async () => {
    const [rows] = await sequelize.query('SELECT COUNT(*) AS n FROM tx_probe');
    return Number((rows as Array<{ n: number }>)[0].n);
  };

  it('commits when the work resolves and runs after-commit effects afterwards', async () => {
    let reportCount!: (n: number) => void;
    const countSeenByEffect = new Promise<number>((resolve) => (reportCount = resolve));
    let effectRanEarly = false;
    await withTransaction(sequelize, async (transaction) => {
      await sequelize.query("INSERT INTO tx_probe VALUES (1, 'a')", { transaction });
      afterCommit(async () => reportCount(await count()));
      await new Promise((resolve) => setTimeout(resolve, 20));
      effectRanEarly = (await Promise.race([countSeenByEffect, Promise.resolve(-1)])) !== -1;
    });
    expect(effectRanEarly).to.equal(false);
    // The effect runs after commit, so it sees the row from outside the transaction.
    expect(await countSeenByEffect).to.equal(1);
  });

  it('rolls back everything, nested work included, and drops the effects when the work throws', async () => {
    let effectRan = false;
    const failure = withTransaction(sequelize, async (outer) => {
      await sequelize.query("INSERT INTO tx_probe VALUES (1, 'outer')", { transaction: outer });
      await withTransaction(sequelize, async (inner) => {
        expect(inner).to.equal(outer);
        await sequelize.query("INSERT INTO tx_probe VALUES (2, 'inner')", { transaction: inner });
        afterCommit(() => {
          effectRan = true;
        });
      });
      throw new Error('boom');
    });
    const error = await failure.then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.equal('boom');
    expect(await count()).to.equal(0);
    expect(effectRan).to.equal(false);
  });

  it('runs an effect at once outside a transaction', async () => {
    let ran = false;
    afterCommit(() => {
      ran = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).to.equal(true);
  });
});
