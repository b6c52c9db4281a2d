import { join } from 'node:path';
import { agentPath } from './agent-run.ts';
import type { BenchImage } from './bench-image.ts';
import type { SizeKeys } from './bench-org.ts';
import { runOnce, runRounds } from './bench-rounds.ts';
import type { Sample } from './measure.ts';
import type { BenchNginx } from './nginx-server.ts';
import type { PortalProcess } from './portal-process.ts';
import type { ProvisimCommand } from './provisim-bin.ts';
import { resumeCheck, type ResumeReport } from './resume-check.ts';
import { bareCurl, byHand, curlTeeOpenssl, serveToNull, type BenchPath } from './shell-paths.ts';

/** The paths measured in the rounds; `nginx` only when nginx is installed. */
export type PathId = 'curl' | 'tee' | 'byHand' | 'agent' | 'nginx' | 'portal';

/** Everything measured for one image size. */
export interface SizeResult {
  readonly image: BenchImage;
  readonly labels: Readonly<Partial<Record<PathId, string>>>;
  /** Samples per path, indexed by round. */
  readonly samples: Readonly<Partial<Record<PathId, readonly Sample[]>>>;
  /** The resume line, or why it could not be measured (the rounds still count). */
  readonly resume: ResumeReport | { readonly failed: string };
}

/** What one size is measured against. */
export interface SizeSetup {
  readonly provisim: ProvisimCommand;
  readonly portal: PortalProcess;
  readonly nginx: BenchNginx | undefined;
  readonly image: BenchImage;
  readonly keys: SizeKeys;
  readonly rounds: number;
  readonly scratchDir: string;
}

/** Runs the interleaved rounds for one size, then the resume check. */
export async function benchSize(setup: SizeSetup): Promise<SizeResult> {
  const { provisim, portal, nginx, image, keys } = setup;
  const hostedUrl = `${portal.url}/images/${image.file}`;
  // Without nginx the portal is the file server of every row, so the ratios stay like for like.
  const fileUrl = nginx ? `${nginx.url}/${image.file}` : hostedUrl;
  const paths: [PathId, BenchPath][] = [
    ['curl', bareCurl(fileUrl, image)],
    ['tee', curlTeeOpenssl(fileUrl, image)],
    ['byHand', byHand(fileUrl, image)],
    ['agent', agentPath(provisim, { portalUrl: portal.url, licenseKey: keys.served })],
    ['portal', serveToNull('portal', hostedUrl, image)],
  ];
  if (nginx) paths.push(['nginx', serveToNull('nginx', fileUrl, image)]);
  // One untimed read brings the image into the page cache, where every round then finds it.
  await runOnce(join(setup.scratchDir, 'out'), serveToNull('warm-up', fileUrl, image).run);
  const rounds = await runRounds(
    paths.map(([, path]) => path),
    setup.rounds,
    setup.scratchDir,
  );
  process.stderr.write('  resume check: SIGKILL at 50 %, then run again...\n');
  const target = { portalUrl: portal.url, licenseKey: keys.hosted };
  const resume = await runOnce(join(setup.scratchDir, 'out'), (dir) =>
    resumeCheck(provisim, portal, target, image, dir),
  ).catch((error: Error) => {
    process.stderr.write(`  resume check failed: ${error.message}\n`);
    return { failed: error.message };
  });
  return {
    image,
    labels: Object.fromEntries(paths.map(([id, path]) => [id, path.label])),
    samples: Object.fromEntries(paths.map(([id], i) => [id, rounds[i]!])),
    resume,
  };
}
