/**
 * Audit overhead benchmark: write throughput with the audit log on versus off.
 * Target (Access control and audit issue): on >= 0.85 x off, on MySQL.
 *
 * Until the checkout exists, the write measured is the nearest thing with the same shape:
 * an authenticated PATCH that locks a row, updates it and (audit on) appends an audit
 * record with a diff in the same transaction. 16 clients, each on its own store row so the
 * figure measures audit cost, not row-lock queueing. "Off" swaps the recorder for a no-op.
 *   npx tsx test/bench/audit-overhead.ts [--seconds 10] [--clients 16] [--db mysql|sqlite]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp } from '../support/app.js';
import { seedAccessFixture } from '../support/access.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const seconds = Number(arg('seconds', '10'));
const clients = Number(arg('clients', '16'));
const dialect = arg('db', 'mysql') as 'mysql' | 'sqlite';

const test = await startTestApp({ dialect });
const fixture = await seedAccessFixture(test);
const server = http.createServer(test.app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const stores = await Promise.all(
  Array.from({ length: clients }, (_, i) =>
    test.ctx.models.stores.Store.create({ code: `B${String(i).padStart(3, '0')}`, name: `压测门店 ${i}`, region: null, address: null, phone: null }),
  ),
);

async function run(label: string): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let writes = 0;
  let failures = 0;
  await Promise.all(
    stores.map(async (store, client) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const res = await fetch(`${base}/api/v1/stores/${store.id}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${fixture.tokens.root}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `压测门店 ${client}-${i}` }),
        });
        const text = await res.text();
        if (res.status === 200) writes += 1;
        else if (++failures === 1) console.log(`  first failure: ${res.status} ${text.slice(0, 300)}`);
      }
    }),
  );
  const perSecond = writes / seconds;
  console.log(`${label.padEnd(9)} ${perSecond.toFixed(1)} writes/s (${writes} in ${seconds} s, ${clients} clients, ${failures} failed)`);
  return perSecond;
}

console.log(`Huiji audit overhead on ${dialect}: node ${process.version}`);
const audit = test.ctx.services.audit;
const record = audit.record.bind(audit);
await run('warm-up');
const on1 = await run('audit on');
audit.record = (async () => undefined) as unknown as typeof audit.record;
const off = await run('audit off');
audit.record = record;
const on2 = await run('audit on');
const on = (on1 + on2) / 2;
const ratio = on / off;
console.log(`ratio on/off: ${ratio.toFixed(3)} [${ratio >= 0.85 ? 'within target' : 'BELOW TARGET'}: >= 0.85]`);
const sealed = await test.ctx.auditSealer.sealPending({ fullScan: true });
console.log(`sealed afterwards: ${sealed} records`);
server.close();
await test.close();
