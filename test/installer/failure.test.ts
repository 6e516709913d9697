import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { runInstall } from '../../installer/src/commands/install.js';
import { OptionValues } from '../../installer/src/context.js';
import { resolvePlan } from '../../installer/src/install/plan.js';
import { System, type RunOptions, type RunResult } from '../../installer/src/system.js';
import { freePort } from '../support/server-process.js';
import { accountsOf, ADMIN_URL, buildOnce, databaseExists, dropInstall, grantsOf, installedPaths, quietContext, randomDbName, tempPrefix } from './installer-kit.js';

/** A system whose `bin/huiji migrate` fails, as a broken migration would. */
class FailingMigrate extends System {
  override async run(command: string, args: string[], options?: RunOptions): Promise<RunResult> {
    if (args[0] === 'migrate') {
      await super.run(command, ['migrate', '--status'], options);
      return { code: 1, stdout: '', stderr: 'migrate failed: injected failure' };
    }
    return super.run(command, args, options);
  }
}

async function install(prefix: string, dbName: string, port: number, system?: System, adminPassword?: string) {
  const { ctx, output } = quietContext(prefix, system);
  const values = new OptionValues({ dbAdminUrl: ADMIN_URL, dbName, port, adminPassword, service: false }, ctx.ui);
  const plan = await resolvePlan(ctx, values);
  try {
    return { report: await runInstall(ctx, plan), error: null, output: output() };
  } catch (error) {
    return { report: null, error: error as Error, output: output() };
  }
}

/** Every file under `dir`, relative, sorted: what a run left behind. */
function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

describe('a failed install undoes only what it created', function () {
  this.timeout(120_000);
  const prefix = tempPrefix();
  const dbName = randomDbName();
  const files = installedPaths(prefix);
  let port: number;

  before(async () => {
    buildOnce();
    port = await freePort();
  });
  after(async () => {
    await dropInstall(dbName);
    fs.rmSync(prefix, { recursive: true, force: true });
  });

  it('on a fresh server: database, accounts, release, config and key pair are all gone again', async () => {
    const failedRun = await install(prefix, dbName, port, new FailingMigrate(), 'Failure#Test2026');
    expect(failedRun.error?.message).to.contain('injected failure');
    expect(failedRun.output).to.contain('undone: database ' + dbName);
    expect(await databaseExists(dbName)).to.equal(false);
    expect(await accountsOf(dbName)).to.deep.equal([]);
    // The log directory (opened before the install started) is all that stays.
    expect(tree(prefix).filter((entry) => !entry.startsWith('var'))).to.deep.equal([]);
    expect(tree(path.join(prefix, 'var'))).to.deep.equal([]);
  });

  it('on a re-run over an install: nothing that was there before is touched', async () => {
    const good = await install(prefix, dbName, port);
    expect(good.error, good.output).to.equal(null);
    // No --admin-password: bin/huiji generated one, and the report carries it to be shown once.
    expect(good.report!.adminPassword).to.match(/^\S{10,}$/);
    const before = {
      grants: await grantsOf(dbName),
      config: fs.readFileSync(files.config, 'utf8'),
      state: fs.readFileSync(files.state, 'utf8'),
      publicKey: fs.readFileSync(files.publicKey, 'utf8'),
      tree: tree(prefix),
    };
    const failedRun = await install(prefix, dbName, port, new FailingMigrate());
    expect(failedRun.error?.message).to.contain('injected failure');
    expect(await databaseExists(dbName)).to.equal(true);
    expect(await grantsOf(dbName)).to.deep.equal(before.grants);
    expect(fs.readFileSync(files.config, 'utf8')).to.equal(before.config);
    expect(fs.readFileSync(files.state, 'utf8')).to.equal(before.state);
    expect(fs.readFileSync(files.publicKey, 'utf8')).to.equal(before.publicKey);
    expect(tree(prefix)).to.deep.equal(before.tree);
  });
});
