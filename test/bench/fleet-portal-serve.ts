import { watch } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildOrgData } from '../../electron/portal/org-builder.ts';
import { parseOrgConfig } from '../../electron/portal/org-config.ts';
import { startPortal } from '../../electron/portal/server.ts';

// A persisting portal in its own process for fleet-load.ts: prints its URL and admin token, and on
// SIGTERM closes and prints how often the devices and events file was replaced.
const dataDir = process.argv[2];
if (!dataDir) throw new TypeError('fleet-portal-serve needs the data folder as its argument');

const org = parseOrgConfig(
  buildOrgData({
    checkInIntervalSec: 600,
    primaryKey: 'FLEET-PRIMARY-0001',
    sublicenses: [
      { key: 'FLEET-ENG-0002', group: { id: 'engineering', name: 'Engineering' } },
      { key: 'FLEET-FIN-0003', group: { id: 'finance', name: 'Finance' } },
    ],
    goldenImages: [
      {
        id: 'win11-dev',
        name: 'Windows 11 for Developers',
        description: '',
        images: { arm64: { url: 'https://cdn.example.com/dev-arm.pvmp', checksum: 'c1' } },
        assignedTo: ['engineering'],
      },
      {
        id: 'win11-all',
        name: 'Windows 11',
        description: '',
        images: { arm64: { url: 'https://cdn.example.com/all-arm.pvmp', checksum: 'c2' } },
        assignedTo: ['primary', 'finance'],
      },
    ],
    policies: [],
    configurationProfiles: [],
  }),
  'fleet.yaml',
);

await mkdir(dataDir, { recursive: true });
let replaced = 0;
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
// Each save renames a temporary file over portal-state.json.
const watcher = watch(dataDir, (type, name) => {
  if (type === 'rename' && name === 'portal-state.json') replaced += 1;
});
const portal = await startPortal({ dataDir, org, persist: true, logger: false });
process.stdout.write(`${JSON.stringify({ url: portal.url, token: portal.adminToken?.token })}\n`);
process.once('SIGTERM', () => {
  void portal.close().then(() => {
    watcher.close();
    process.stdout.write(
      `${JSON.stringify({ replaced, events: portal.state.events().length, loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6 })}\n`,
    );
  });
});
