// `npm run bench`: provisioning by the shipped CLI against the strongest ways a user could do the
// same job with curl, openssl and tar, from nginx on loopback, in interleaved rounds; then the
// portal against nginx, check-in under load, a resume after SIGKILL, and a fleet of small images
// in one process against as many agent processes at once, and a fleet of hundreds of Macs with
// --disk none against curl. One table on stdout.
// BENCH_FLEET_ONLY=1 runs only the fleet rows.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { detectHostArch } from '../../electron/agent/identity.ts';
import { benchConfig, machineFacts, sizeLabel } from './bench-config.ts';
import { cachedImage, type BenchImage } from './bench-image.ts';
import { sizeKeys, writeBenchOrg } from './bench-org.ts';
import { loadRow, renderTable, rssAcrossSizes, type TableRow } from './bench-table.ts';
import { checkInLoad } from './checkin-load.ts';
import { benchFleet } from './fleet-bench.ts';
import { benchFleetScale } from './fleet-scale-bench.ts';
import { startNginx, type BenchNginx } from './nginx-server.ts';
import { startPortalProcess } from './portal-process.ts';
import { resolveProvisim } from './provisim-bin.ts';
import { benchSize, type SizeResult } from './size-bench.ts';
import { sizeRows } from './size-rows.ts';

const FLEET_IMAGE_BYTES = 8 * 2 ** 20;
const SCALE_IMAGE_BYTES = 64 * 2 ** 20;
const root = resolve(import.meta.dirname, '../..');
const benchDir = join(root, '.bench');
const imagesDir = join(benchDir, 'images');
const config = benchConfig();
const arch = detectHostArch();
const provisim = resolveProvisim(root);
// Read before the bench itself loads the machine.
const facts = machineFacts(config);

await mkdir(benchDir, { recursive: true });
// nginx's workers (nobody) must be able to walk into the images folder.
await chmod(benchDir, 0o755);
const images: BenchImage[] = [];
for (const size of config.sizes) images.push(await cachedImage(imagesDir, size, arch));
// Small: BENCH_FLEET_MACS copies of it are written at once (0 leaves the fleet rows out).
const fleetMacs = Number(process.env.BENCH_FLEET_MACS ?? 50);
const fleetImage = await cachedImage(imagesDir, FLEET_IMAGE_BYTES, arch);
// BENCH_SCALE_MACS Macs check every byte of it and write none (0 leaves those rows out).
const scaleMacs = Number(process.env.BENCH_SCALE_MACS ?? 500);
const scaleImage = await cachedImage(imagesDir, SCALE_IMAGE_BYTES, arch);
const fleetOnly = process.env.BENCH_FLEET_ONLY === '1';
const scratchDir = await mkdtemp(join(benchDir, 'run-'));
let nginx: BenchNginx | undefined;
let rows: TableRow[];
try {
  nginx = await startNginx(imagesDir, scratchDir);
  rows = await measure(nginx);
} finally {
  await nginx?.stop();
  await rm(scratchDir, { recursive: true, force: true });
}

const server = nginx ? 'nginx (sendfile on, 1 worker)' : 'the portal (nginx not installed)';
process.stdout.write(
  [
    '',
    ...facts,
    `Image (.pvmp, uncompressed tar) served by ${server} on 127.0.0.1; check-in by \`provisim portal\`.`,
    `Agent: ${provisim.argv.join(' ')} run ... --accept --json (spawned as a user runs it)`,
    'Ratios are per round (paired), then median and min..max across rounds. Peak RSS is',
    '/usr/bin/time -f %M: the largest peak of any one process in the tree, not a sum.',
    '',
    renderTable(rows),
    '',
  ].join('\n'),
);

async function measure(nginx: BenchNginx | undefined): Promise<TableRow[]> {
  const orgFile = join(scratchDir, 'org.json');
  await writeBenchOrg(orgFile, [...images, fleetImage, scaleImage], arch, nginx?.url);
  const portal = await startPortalProcess(provisim, {
    dataDir: join(scratchDir, 'portal'),
    orgFile,
    images: [...images, scaleImage],
    logFile: join(scratchDir, 'portal.log'),
  });
  try {
    const results: SizeResult[] = [];
    for (const [index, image] of fleetOnly ? [] : images.entries()) {
      process.stderr.write(`${sizeLabel(image.dataBytes)}: ${config.rounds} rounds...\n`);
      const setup = { provisim, portal, nginx, image, keys: sizeKeys(index) };
      results.push(await benchSize({ ...setup, rounds: config.rounds, scratchDir }));
    }
    const rows: TableRow[] = [];
    if (!fleetOnly) {
      process.stderr.write('check-in load...\n');
      const load = await checkInLoad(portal.url, sizeKeys(0).hosted, arch, scratchDir);
      rows.push(...results.flatMap(sizeRows), rssAcrossSizes(results), loadRow(load));
    }
    if (fleetMacs > 0) {
      process.stderr.write(`fleet of ${fleetMacs}: ${config.rounds} rounds...\n`);
      const target = { portalUrl: portal.url, licenseKey: sizeKeys(images.length).served };
      const imageLabel = sizeLabel(FLEET_IMAGE_BYTES);
      const { rounds } = config;
      rows.push(
        ...(await benchFleet({
          provisim,
          target,
          arch,
          macs: fleetMacs,
          imageLabel,
          rounds,
          scratchDir,
        })),
      );
    }
    if (scaleMacs > 0) {
      process.stderr.write(`fleet of ${scaleMacs} with --disk none: ${config.rounds} rounds...\n`);
      rows.push(
        ...(await benchFleetScale({
          provisim,
          portalUrl: portal.url,
          // The portal itself serves this image, as the target asks.
          licenseKey: sizeKeys(images.length + 1).hosted,
          arch,
          macs: scaleMacs,
          image: scaleImage,
          imageLabel: sizeLabel(SCALE_IMAGE_BYTES),
          rounds: config.rounds,
          scratchDir,
        })),
      );
    }
    return rows;
  } finally {
    await portal.stop();
  }
}
