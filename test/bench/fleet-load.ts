import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { checkInScript, eventsScript, runWrk, type FleetMac } from './fleet-wrk.ts';

// Fleet load on a persisting portal in its own process (npx tsx test/bench/fleet-load.ts
// [devices] [seconds]); needs wrk. "paced": every Mac posts five download-progress events a
// second (from this process) while wrk checks Macs in one at a time. "saturated": wrk posts event
// batches on 28 connections and check-ins on 4, as fast as the portal answers.
const DEVICES = Number(process.argv[2] ?? 500);
const SECONDS = Number(process.argv[3] ?? 10);
const KEYS = ['FLEET-PRIMARY-0001', 'FLEET-ENG-0002', 'FLEET-FIN-0003'];

const dir = await mkdtemp(join(tmpdir(), 'fleet-load-'));
const serve = new URL('./fleet-portal-serve.ts', import.meta.url).pathname;
const nodeArgs = process.env.PORTAL_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', serve, join(dir, 'data')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
const { url } = JSON.parse((await lines.next()).value as string) as { url: string };

const post = async (path: string, body: unknown): Promise<number> => {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
};

const macs: FleetMac[] = Array.from({ length: DEVICES }, (_, i) => ({
  id: randomUUID(),
  key: KEYS[i % KEYS.length]!,
}));
for (const [i, mac] of macs.entries()) {
  const body = { licenseKey: mac.key, deviceId: mac.id, hostname: `mac-${i}.fleet.test` };
  const status = await post('/api/v1/checkin', { ...body, arch: 'arm64', agentVersion: '1.0.0' });
  if (status !== 200) throw new Error(`enrolment answered ${status}`);
}
const checkIns = await checkInScript(dir, macs);
const events = await eventsScript(dir, macs);
if (process.env.KEEP_LUA) console.log(dir);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const row = (phase: string, what: string, r: Awaited<ReturnType<typeof runWrk>>) =>
  console.log(
    `${phase.padEnd(10)} ${what.padEnd(24)} ${r.requestsPerSec.toFixed(0).padStart(6)} req/s` +
      `  p50 ${r.p50Ms.toFixed(2).padStart(8)} ms  p99 ${r.p99Ms.toFixed(2).padStart(8)} ms` +
      `  failures ${r.failures}`,
  );

// Paced: each Mac's batch once a second, spread over the second.
let stop = false;
let posted = 0;
const pacers = macs.map(async (mac, m) => {
  await sleep((m / macs.length) * 1000);
  for (let n = 0; !stop; n += 1) {
    const next = Date.now() + 1000;
    const batch = Array.from({ length: 5 }, (_, i) => ({
      id: randomUUID(),
      type: 'download-progress',
      at: new Date().toISOString(),
      goldenImageId: 'win11-all',
      transferred: n * 5 + i,
      attemptBytes: 0,
      resumedFrom: 0,
    }));
    if (
      (await post(`/api/v1/devices/${mac.id}/events`, { licenseKey: mac.key, events: batch })) ===
      202
    )
      posted += 1;
    await sleep(Math.max(0, next - Date.now()));
  }
});
await sleep(1000);
const pacedStart = Date.now();
const postedBefore = posted;
row('paced', 'check-in (wrk -c1)', await runWrk(url, checkIns, 1, SECONDS));
const rate = ((posted - postedBefore) * 1000) / (Date.now() - pacedStart);
stop = true;
await Promise.all(pacers);
console.log(`paced      event batches (node)     ${rate.toFixed(0).padStart(6)} req/s`);

const [eventLoad, checkInLoad] = await Promise.all([
  runWrk(url, events, 28, SECONDS),
  runWrk(url, checkIns, 4, SECONDS),
]);
row('saturated', 'event batches (wrk -c28)', eventLoad);
row('saturated', 'check-in (wrk -c4)', checkInLoad);

child.kill('SIGTERM');
console.log(`portal after close: ${(await lines.next()).value as string}`);
if (!process.env.KEEP_LUA) await rm(dir, { recursive: true, force: true });
