import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { runAction, type CommandContext } from '../context.js';
import { accountHosts, connect, parseMysqlUrl } from '../db-admin.js';
import { failed } from '../doctor/checks.js';
import { EXIT, InstallerError, PrerequisiteError, UsageError } from '../errors.js';
import { grantApp } from '../install/database.js';
import { Journal } from '../install/journal.js';
import { SERVICE_NAME, waitForReady } from '../install/service.js';
import { configuredPort, huijiAnswersOn, restoreOwnership, SERVICE_USER, serviceUser, systemdManages } from '../installed.js';
import { sourceVersion } from '../layout.js';
import { runHuiji, tail } from '../release-cli.js';
import { copyRelease } from '../release-files.js';
import { ownerUrl, readServerConfig, requireState, type InstallerState } from '../state.js';
import type { RunResult } from '../system.js';
import { compareVersions, currentRelease, linkTargetFor, pruneReleases } from '../upgrade/releases.js';
import { diagnose } from './doctor.js';

/**
 * `huiji-installer upgrade`, run from the newer source (repo or unpacked bundle): the new
 * release goes in beside the running one and takes over only when its migrations ran and
 * it answers /readyz. Every step that changed something is journalled with its undo, so any
 * failure puts back `current`, the database and the service, and says so.
 */
export async function upgrade(ctx: CommandContext): Promise<number> {
  const { layout, ui, system, sourceRoot } = ctx;
  const state = requireState(layout);
  ui.secret(state.ownerPassword);
  const port = configuredPort(readServerConfig(layout));
  const from = currentRelease(layout);
  const toVersion = sourceVersion(sourceRoot);

  const order = compareVersions(toVersion, from.version);
  if (order === 0) {
    ui.line(`Huiji ${from.version} is already installed under ${layout.prefix}; nothing to upgrade. 已是该版本，无需升级。`);
    return EXIT.ok;
  }
  if (order < 0) {
    throw new PrerequisiteError(`this installer carries Huiji ${toVersion}, older than the installed ${from.version}: migrations only go forward, so downgrades are refused; to go back, restore a backup made by ${toVersion}`);
  }
  ui.line(ui.paint('bold', `Upgrade Huiji ${from.version} → ${toVersion} under ${layout.prefix} 升级`));

  await ui.step('check this server (doctor)', async (step) => {
    const checks = await diagnose(ctx, {});
    const problems = failed(checks);
    for (const check of checks) ui.log('check', `${check.status} ${check.group}/${check.id}: ${check.message}`);
    if (problems.length > 0) {
      throw new PrerequisiteError(`${problems.map((check) => `${check.id}: ${check.message}`).join('; ')} (huiji-installer doctor shows how to fix it); nothing was changed`);
    }
    step.detail(`${checks.length} checks, ${checks.filter((check) => check.status === 'warn').length} warnings`);
  });

  const managed = systemdManages(ctx, state);
  const wasActive = managed && (await system.query('systemctl', ['is-active', SERVICE_NAME])).stdout.trim() === 'active';
  if (!managed) {
    // Migrating under a server nobody can stop would mix old code with a new schema.
    const running = await huijiAnswersOn(port);
    if (running) {
      throw new PrerequisiteError(`Huiji ${running} answers on port ${port} but is not a systemd service the installer can stop: stop it (the process running ${layout.currentBin} start), then re-run the upgrade; nothing was changed`);
    }
  }
  if (ui.interactive && !(await ui.confirm(`Upgrade now?${wasActive ? ' Huiji stops while the database is migrated.' : ''} 现在升级？`, 'yes'))) {
    throw new UsageError('not confirmed; nothing was changed');
  }

  // Schema changes and rollbacks run as the owner account; the app account may only touch rows.
  const huiji = (releaseDir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> =>
    runHuiji(ctx, path.join(releaseDir, 'bin', 'huiji'), args, { env: { HUIJI_CONFIG: layout.configFile, HUIJI_DATABASE_URL: ownerUrl(state), ...extraEnv } });

  // The same backup `huiji-installer backup` makes, with the server's own account.
  const backupFile = await ui.step(`encrypted backup with Huiji ${from.version}`, async (step) => {
    const result = await runHuiji(ctx, layout.currentBin, ['backup', 'create', '--json'], { env: { HUIJI_CONFIG: layout.configFile } });
    await restoreOwnership(ctx, await serviceUser(ctx));
    if (result.code !== 0) throw new PrerequisiteError(`the backup failed, so nothing was changed: ${tail(result)}`);
    const { file } = JSON.parse(result.stdout) as { file: string };
    step.detail(file);
    return file;
  });

  const releaseDir = layout.releaseDir(toVersion);
  const rollbackDir = path.join(layout.dataDir, 'rollback');
  const leftovers = fs.existsSync(rollbackDir) ? fs.readdirSync(rollbackDir).filter((name) => name.endsWith('.snap')) : [];
  if (leftovers.length > 0) {
    ui.warn(`unencrypted database snapshots left by an interrupted upgrade in ${rollbackDir}: ${leftovers.join(', ')}; delete them once you are sure the database is right`);
  }
  const snapshotFile = path.join(rollbackDir, `${stamp()}.snap`);
  const journal = new Journal();
  let databaseTouched = false;
  // Ctrl-C also reaches the running bin/huiji, which then fails: the rollback must still run.
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    ui.warn('interrupted: the upgrade stops after this step and rolls back 已中断，本步骤结束后回滚');
  };
  const checkpoint = () => {
    if (interrupted) throw new InstallerError(EXIT.unexpected, 'interrupted by the operator');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (fs.existsSync(releaseDir)) {
      ui.warn(`${releaseDir} is left from an earlier attempt that never went live; copying it afresh`);
      await system.remove(releaseDir);
    }
    await ui.step(`new release ${path.relative(layout.optDir, releaseDir)}`, async (step) => {
      let copied = 0;
      await copyRelease(sourceRoot, releaseDir, (count) => (copied = count));
      step.detail(`${copied.toLocaleString('en')} files`);
    });
    journal.add(`new release directory ${releaseDir} (removed)`, () => system.remove(releaseDir));

    checkpoint();
    if (wasActive) {
      await ui.step(`stop Huiji ${from.version}`, () => system.systemctl('stop', SERVICE_NAME));
      journal.add(`stop of Huiji ${from.version} (started again and ready)`, async () => {
        await system.systemctl('start', SERVICE_NAME);
        await waitForReady(ctx, port);
      });
    }

    // Taken once Huiji stopped, so no order written during the upgrade is lost by a rollback.
    checkpoint();
    await ui.step('rollback snapshot of the database', async (step) => {
      await system.mkdir(path.dirname(snapshotFile), { mode: 0o700 });
      const result = await huiji(from.dir, ['backup', 'snapshot', '--out', snapshotFile]);
      if (result.code !== 0) throw new PrerequisiteError(`the rollback snapshot failed: ${tail(result)}`);
      await system.chmod(snapshotFile, 0o600);
      step.detail(snapshotFile);
    });
    journal.add(`database migration (data and schema put back from the snapshot taken just before)`, async () => {
      const result = await huiji(from.dir, ['backup', 'rollback', '--file', snapshotFile, '--yes']);
      if (result.code !== 0) throw new Error(`huiji backup rollback exited ${result.code}: ${tail(result)}`);
      await grantAppAccount(state);
    });

    checkpoint();
    databaseTouched = true;
    await ui.step(`migrate the database with Huiji ${toVersion}`, async (step) => {
      // The upgrade test's broken migration (server/src/platform/db/migrate.ts); unset in real use.
      const injected = process.env.HUIJI_INJECT_FAILING_MIGRATION;
      const result = await huiji(releaseDir, ['migrate'], injected ? { HUIJI_INJECT_FAILING_MIGRATION: injected } : {});
      if (result.code !== 0) throw new InstallerError(EXIT.unexpected, `a migration failed: ${tail(result)}`);
      step.detail(result.stdout.trim().split('\n').pop() ?? '');
    });
    await grantAppAccount(state);
    await restoreOwnership(ctx, await serviceUser(ctx));

    checkpoint();
    await ui.step(`switch current to ${linkTargetFor(layout, releaseDir)}`, async () => {
      await system.symlink(linkTargetFor(layout, releaseDir), layout.current);
    });
    journal.add(`switch of current (points at ${from.linkTarget} again)`, async () => {
      await system.symlink(from.linkTarget, layout.current);
    });

    checkpoint();
    if (wasActive) {
      journal.add(`start of Huiji ${toVersion} (stopped)`, async () => {
        await system.systemctl('stop', SERVICE_NAME);
      });
      await ui.step(`start Huiji ${toVersion} and wait for /readyz`, async () => {
        await system.systemctl('start', SERVICE_NAME);
        await waitForReady(ctx, port);
      });
    }
    checkpoint();
  } catch (error) {
    return rollBack(ctx, { error, journal, fromVersion: from.version, toVersion, databaseTouched, snapshotFile, backupFile });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  journal.clear();
  await system.writeFile(layout.stateFile, `${JSON.stringify({ ...state, version: toVersion }, null, 2)}\n`, { mode: 0o600 });
  await system.remove(snapshotFile);
  const removed = await pruneReleases(system, layout, [releaseDir, from.dir]);

  ui.line();
  ui.line(ui.paint('green', `Huiji ${toVersion} is installed. 升级完成。`));
  ui.info(`backup taken before the upgrade: ${backupFile}`);
  ui.info(`previous release kept: ${from.dir} (to go back to it, restore the backup above)${removed.length ? `; removed older: ${removed.join(', ')}` : ''}`);
  if (wasActive) ui.info(`Huiji ${toVersion} is running and ready on port ${port}`);
  else if (managed) ui.line(`Huiji was not running before the upgrade; start it with: systemctl start ${SERVICE_NAME}`);
  else {
    const user = await serviceUser(ctx);
    ui.line(`Start Huiji with: ${user ? `runuser -u ${SERVICE_USER} -- ` : ''}${layout.currentBin} start`);
  }
  return EXIT.ok;

  /** New tables need the app account's grants; the owner may give them. */
  async function grantAppAccount(installed: InstallerState): Promise<void> {
    const connection = await connect(parseMysqlUrl(ownerUrl(installed), 'the owner account'), installed.dbName);
    try {
      await grantApp(ctx, connection, installed.dbName, installed.appUser, accountHosts(installed.dbHost));
    } finally {
      await connection.end().catch(() => undefined);
    }
  }
}

interface Failure {
  error: unknown;
  journal: Journal;
  fromVersion: string;
  toVersion: string;
  databaseTouched: boolean;
  snapshotFile: string;
  backupFile: string;
}

/** Undoes what the upgrade changed, newest first, and tells the operator exactly where things stand. */
async function rollBack(ctx: CommandContext, failure: Failure): Promise<never> {
  const { ui, system, layout } = ctx;
  const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
  ui.warn(`the upgrade to ${failure.toVersion} failed; rolling back 升级失败，正在回滚`);
  const problems = await failure.journal.rollback(ui);
  if (problems.length === 0) {
    if (fs.existsSync(failure.snapshotFile)) await system.remove(failure.snapshotFile);
    ui.loud([
      `Upgrade to ${failure.toVersion} FAILED and was rolled back. 升级到 ${failure.toVersion} 失败，已自动回滚。`,
      `cause 原因: ${ui.redactor.apply(reason)}`,
      `running 当前版本: Huiji ${failure.fromVersion} (${layout.current} -> ${currentRelease(layout).linkTarget})`,
      failure.databaseTouched
        ? 'database 数据库: put back from the snapshot taken just before the migration 已从迁移前的快照恢复'
        : 'database 数据库: not changed 未改动',
      `backup taken before the upgrade 升级前备份: ${failure.backupFile}`,
      ...(ui.logFile ? [`details 详细日志: ${ui.logFile}`] : []),
    ]);
    throw new InstallerError(failure.error instanceof InstallerError ? failure.error.exitCode : EXIT.unexpected, `the upgrade to ${failure.toVersion} failed and was rolled back to ${failure.fromVersion}: ${reason}`);
  }
  ui.loud([
    `Upgrade to ${failure.toVersion} FAILED and the rollback is INCOMPLETE. 升级失败，回滚未完成！`,
    `cause 原因: ${ui.redactor.apply(reason)}`,
    ...problems.map((problem) => `not undone 未能撤销: ${ui.redactor.apply(problem)}`),
    ...(fs.existsSync(failure.snapshotFile)
      ? [
          `the database as it was before the migration is kept in ${failure.snapshotFile}; put it back with`,
          `  HUIJI_DATABASE_URL=<owner account URL, see ${layout.stateFile}> ${path.join(layout.releaseDir(failure.fromVersion), 'bin', 'huiji')} backup rollback --file ${failure.snapshotFile} --yes`,
        ]
      : []),
    `or restore the backup taken before the upgrade 或恢复升级前的备份: huiji-installer restore --file ${failure.backupFile} --private-key <key>`,
    ...(ui.logFile ? [`details 详细日志: ${ui.logFile}`] : []),
  ]);
  throw new InstallerError(EXIT.unexpected, `the upgrade to ${failure.toVersion} failed and could not be fully rolled back: ${reason}`);
}

/** UTC, sortable, safe in a file name: 20261124-093000. */
const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export function upgradeCommand(): Command {
  return new Command('upgrade')
    .description("upgrade the installed Huiji to this installer's release: doctor, encrypted backup, new release beside the old, migrate, switch current, restart; any failure rolls back")
    .addHelpText(
      'after',
      [
        '',
        'Run it from the newer source: a repo checkout of the new version, or the new unpacked bundle',
        '(cd huiji-<new version> && sudo ./huiji-installer upgrade). The release before stays in',
        '/opt/huiji/releases beside the new one; older ones are removed.',
        '',
        'Exit codes: 0 upgraded (or nothing to do), 2 usage or not installed, 5 a check or the',
        'backup failed (nothing changed), 1 a later step failed (rolled back; the output says what).',
      ].join('\n'),
    )
    .action(runAction((ctx) => upgrade(ctx)));
}
