// `npm run bench`: the agent against `curl | tee | sha256sum` on loopback, in one run.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { detectHostArch } from '../../electron/agent/identity.ts';
import { makeImage, parseSize } from '../../electron/archive/make-image.ts';
import { parseOrgConfig } from '../../electron/portal/org-config.ts';
import { startPortal } from '../../electron/portal/server.ts';

const root = resolve(import.meta.dirname, '../..');
const sizeBytes = parseSize(process.env.BENCH_SIZE ?? '1GiB');
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const arch = detectHostArch();
const workDir = join(root, '.bench');
const imagesDir = join(workDir, 'portal', 'images');

const image = await cachedImage();
const agentBundle = await bundleAgent();
const org = parseOrgConfig(
  {
    licenseKeys: [{ key: 'BENCH-PRIMARY-0001', kind: 'primary', state: 'active' }],
    goldenImages: [
      {
        id: 'bench',
        name: 'Bench VM',
        images: { [arch]: { enabled: true, url: `/images/${image.file}`, checksum: image.sha256 } },
        assignedTo: ['primary'],
      },
    ],
  },
  'bench',
);
const portal = await startPortal({ dataDir: join(workDir, 'portal'), org, logger: false });
const url = `${portal.url}/images/${encodeURIComponent(image.file)}`;
const samples = {
  bare: [] as number[],
  curl: [] as number[],
  download: [] as number[],
  provision: [] as number[],
  rss: [] as number[],
};
try {
  for (let round = 1; round <= rounds; round++) {
    samples.bare.push(await curlSeconds(`curl -sf -o "$1/image" "$0"`));
    samples.curl.push(await curlSeconds(`curl -sf "$0" | tee "$1/image" | sha256sum`));
    const agent = await agentRun();
    if (agent.outcome !== 'registered')
      throw new Error(`agent run failed: ${JSON.stringify(agent.error)}`);
    samples.download.push(agent.downloadMs / 1000);
    samples.provision.push(agent.provisionMs / 1000);
    samples.rss.push(agent.maxRssBytes);
    process.stderr.write(`round ${round}/${rounds} done\n`);
  }
} finally {
  await portal.close();
}
printTable();

async function cachedImage(): Promise<{ file: string; sha256: string }> {
  const file = `Bench VM ${sizeBytes}.pvmp`;
  const shaFile = join(imagesDir, `Bench VM ${sizeBytes}.sha256.txt`);
  if (existsSync(join(imagesDir, file)) && existsSync(shaFile)) {
    return { file, sha256: (await readFile(shaFile, 'utf8')).split(/\s+/)[0]! };
  }
  await mkdir(imagesDir, { recursive: true });
  process.stderr.write(`making a ${sizeBytes}-byte image (cached in .bench/)...\n`);
  const made = await makeImage({
    name: `Bench VM ${sizeBytes}`,
    arch,
    sizeBytes,
    outDir: imagesDir,
    seed: 'bench',
  });
  return { file: made.archivePath.split('/').pop()!, sha256: made.sha256 };
}

// The agent runs as it ships (bundled JS on plain Node), not through the tsx dev loader, whose
// loader thread alone adds about 35 MiB of RSS.
async function bundleAgent(): Promise<string> {
  const outfile = join(workDir, 'agent-run.mjs');
  await build({
    entryPoints: [join(root, 'test/bench/agent-run.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

async function curlSeconds(script: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'provisim-bench-curl-'));
  try {
    const started = performance.now();
    await promisify(execFile)('sh', ['-c', script, url, dir]);
    return (performance.now() - started) / 1000;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function agentRun(): Promise<{
  outcome: string;
  error?: unknown;
  provisionMs: number;
  downloadMs: number;
  maxRssBytes: number;
}> {
  const home = await mkdtemp(join(tmpdir(), 'provisim-bench-agent-'));
  try {
    const child = spawn(
      process.execPath,
      [agentBundle, portal.url, 'BENCH-PRIMARY-0001', home, arch],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((done) => child.on('close', done));
    return JSON.parse(out.trim().split('\n').pop()!);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

function printTable(): void {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const mib = 1024 * 1024;
  const curl = median(samples.curl);
  const bare = median(samples.bare);
  const download = median(samples.download);
  const provision = median(samples.provision);
  const rss = Math.max(...samples.rss);
  const rate = (s: number) => `${(sizeBytes / mib / s).toFixed(0)} MiB/s`;
  const rows = [
    ['measure', 'value', 'reference (curl | tee | sha256sum)', 'ratio', 'target', 'ok'],
    [
      'agent download throughput',
      rate(download),
      rate(curl),
      (curl / download).toFixed(2),
      '>= 0.90',
      curl / download >= 0.9 ? 'yes' : 'NO',
    ],
    [
      'whole provisioning time',
      `${provision.toFixed(2)} s`,
      `${curl.toFixed(2)} s`,
      (provision / curl).toFixed(2),
      '<= 1.10',
      provision / curl <= 1.1 ? 'yes' : 'NO',
    ],
    [
      'agent throughput vs bare curl -o (info)',
      rate(download),
      `${rate(bare)} (curl -o, no hash)`,
      (bare / download).toFixed(2),
      '',
      '',
    ],
    [
      'agent peak RSS',
      `${(rss / mib).toFixed(0)} MiB`,
      '',
      '',
      '<= 150 MiB',
      rss <= 150 * mib ? 'yes' : 'NO',
    ],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(
    `\nImage: ${(sizeBytes / mib).toFixed(0)} MiB over loopback, median of ${rounds} rounds, ${arch}\n`,
  );
  process.stdout.write(`${line(rows[0]!)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
  for (const r of rows.slice(1)) process.stdout.write(`${line(r)}\n`);
}
