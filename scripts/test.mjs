// `npm test`: every suite, in order: unit, API on SQLite, API on MySQL, the real server
// process, the console in headless Chromium, and the installer. Ends with one "N passed, N failed" line.
//   npm test                     everything
//   npm test -- api-mysql e2e    only the named suites
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT, buildIfStale } from './build-if-stale.mjs';

const CI = process.env.CI === 'true' || process.env.CI === '1';
const MOCHA = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
const CHROMIUM = process.env.HUIJI_CHROMIUM ?? '/usr/bin/chromium';

const SUITES = [
  { name: 'unit', files: ['test/unit/**/*.test.ts'] },
  { name: 'api-sqlite', files: ['test/api/**/*.test.ts'], env: { HUIJI_TEST_DB: 'sqlite' } },
  { name: 'api-mysql', files: ['test/api/**/*.test.ts'], env: { HUIJI_TEST_DB: 'mysql' }, needs: 'mysql' },
  { name: 'process', files: ['test/process/**/*.test.ts'], needs: 'build' },
  { name: 'e2e', files: ['test/e2e/**/*.test.ts'], needs: 'chromium' },
  { name: 'installer', files: ['test/installer/**/*.test.ts'], needs: 'mysql', build: true },
];

function mysqlReachable() {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: 3306 });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function banner(text) {
  const line = '!'.repeat(72);
  process.stdout.write(`\n${line}\n!! ${text}\n${line}\n\n`);
}

function runMocha(suite) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MOCHA, ...suite.files], {
      cwd: ROOT,
      env: { ...process.env, ...suite.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => {
      const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(output)?.[1] ?? 0);
      resolve({ code, passed: count('passing'), failed: count('failing'), pending: count('pending') });
    });
  });
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SUITES.some((suite) => suite.name === name));
if (unknown.length) {
  process.stderr.write(`unknown suite(s): ${unknown.join(', ')}; choose from ${SUITES.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
for (const suite of SUITES.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
  process.stdout.write(`\n=== ${suite.name} ===\n`);
  if (suite.needs === 'mysql' && !(await mysqlReachable())) {
    if (CI) {
      problems.push(`${suite.name}: MySQL/MariaDB is not answering on 127.0.0.1:3306`);
      totals.failed += 1;
      banner('MySQL/MariaDB is not answering on 127.0.0.1:3306: with CI=true this FAILS the run.');
    } else {
      banner(`SKIPPED: the ${suite.name} suite. Nothing answers on 127.0.0.1:3306; start MariaDB to run it.`);
      totals.skipped += 1;
    }
    continue;
  }
  if (suite.needs === 'chromium' && !fs.existsSync(CHROMIUM)) {
    if (CI) {
      problems.push(`${suite.name}: ${CHROMIUM} is missing`);
      totals.failed += 1;
      banner(`${CHROMIUM} is missing: with CI=true this FAILS the run (apt-get install chromium).`);
    } else {
      banner(`SKIPPED: the browser suite. ${CHROMIUM} is missing; apt-get install chromium to run it.`);
      totals.skipped += 1;
    }
    continue;
  }
  if (suite.build || suite.needs === 'build' || suite.needs === 'chromium') {
    try {
      buildIfStale();
    } catch (error) {
      problems.push(`${suite.name}: ${error.message}`);
      totals.failed += 1;
      continue;
    }
  }
  const result = await runMocha(suite);
  totals.passed += result.passed;
  totals.failed += result.failed;
  totals.skipped += result.pending;
  if (result.code !== 0 && result.failed === 0) {
    problems.push(`${suite.name}: mocha exited with ${result.code}`);
    totals.failed += 1;
  } else if (result.failed > 0) {
    problems.push(`${suite.name}: ${result.failed} failing`);
  }
}

process.stdout.write('\n');
for (const problem of problems) process.stdout.write(`FAILED ${problem}\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(totals.failed > 0 ? 1 : 0);
