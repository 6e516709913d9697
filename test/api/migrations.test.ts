import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { migrationStatus, revertAllMigrations, runMigrations } from '../../server/src/platform/db/migrate.js';
import { renderMysqlSchema } from '../../server/src/platform/db/mysql-schema.js';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';

describe(`migrations (${TEST_DIALECT})`, () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it('apply, revert to nothing and apply again', async () => {
    const sequelize = createSequelize({ url: db.url });
    try {
      const applied = await runMigrations(sequelize);
      expect(applied.length).to.be.above(0);
      expect(applied).to.deep.equal([...applied].sort());
      expect(await migrationStatus(sequelize)).to.deep.equal({ applied: applied.length, pending: 0 });
      await revertAllMigrations(sequelize);
      const tables = await sequelize.getQueryInterface().showAllTables();
      expect(tables.filter((t) => t !== 'huiji_migrations')).to.deep.equal([]);
      expect(await runMigrations(sequelize)).to.deep.equal(applied);
    } finally {
      await sequelize.close();
    }
  });

  it('runs once when two nodes start together', async () => {
    const nodes = [createSequelize({ url: db.url }), createSequelize({ url: db.url })];
    try {
      const results = await Promise.all(nodes.map((node) => runMigrations(node)));
      const total = results[0].length + results[1].length;
      const [all] = results.sort((a, b) => b.length - a.length);
      expect(total).to.equal(all.length);
      const [roles] = await nodes[0].query('SELECT COUNT(*) AS n FROM roles');
      expect(Number((roles as Array<{ n: number }>)[0].n)).to.equal(5);
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });

  // The checked-in DDL is MySQL's, so only the MySQL run can compare it.
  if (TEST_DIALECT === 'mysql') {
    it('produce exactly sql/mysql/schema.sql (run npm run sql:dump after changing a migration)', async () => {
      const sequelize = createSequelize({ url: db.url });
      try {
        await runMigrations(sequelize);
        const expected = fs.readFileSync(path.join(PROJECT_ROOT, 'sql', 'mysql', 'schema.sql'), 'utf8');
        expect(await renderMysqlSchema(sequelize)).to.equal(expected);
      } finally {
        await sequelize.close();
      }
    });
  }
});
