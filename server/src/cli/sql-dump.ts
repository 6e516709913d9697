import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import mysql from 'mysql2/promise';
import { ConfigError, loadConfig } from '../platform/config/load.js';
import { parseDatabaseUrl } from '../platform/config/schema.js';
import { createSequelize } from '../platform/db/connect.js';
import { runMigrations } from '../platform/db/migrate.js';
import { renderMysqlSchema } from '../platform/db/mysql-schema.js';
import { PROJECT_ROOT } from '../platform/paths.js';

const program = new Command()
  .name('sql:dump')
  .description('Write the MySQL DDL that the migrations produce to sql/mysql/schema.sql')
  .option('--server <url>', 'a MySQL server to build a scratch database on (default: HUIJI_DATABASE_URL or mysql://root@127.0.0.1:3306/mysql)')
  .option('--out <file>', 'where to write', path.join(PROJECT_ROOT, 'sql', 'mysql', 'schema.sql'))
  .parse();

const options = program.opts<{ server?: string; out: string }>();

async function main(): Promise<void> {
  let serverUrl = options.server;
  if (!serverUrl) {
    const configured = loadConfig().databaseUrl;
    serverUrl = configured.startsWith('mysql') ? configured : 'mysql://root@127.0.0.1:3306/mysql';
  }
  const target = parseDatabaseUrl(serverUrl);
  if (!target || target.dialect !== 'mysql') throw new ConfigError(`sql:dump needs a MySQL server URL, got ${serverUrl}`);

  // A scratch database, so the dump shows exactly what the migrations build.
  const scratch = `huiji_sqldump_${crypto.randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ host: target.host, port: target.port, user: target.username, password: target.password });
  await admin.query(`CREATE DATABASE \`${scratch}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(serverUrl);
  url.pathname = `/${scratch}`;
  const sequelize = createSequelize({ url: url.toString() });
  try {
    await runMigrations(sequelize);
    const ddl = await renderMysqlSchema(sequelize);
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, ddl);
    process.stdout.write(`wrote ${path.relative(process.cwd(), options.out)} (${ddl.split('CREATE TABLE').length - 1} tables)\n`);
  } finally {
    await sequelize.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${scratch}\``);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`sql:dump failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
