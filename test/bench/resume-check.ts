import { join } from 'node:path';
import { AgentWatch } from './agent-watch.ts';
import type { AgentTarget } from './agent-run.ts';
import type { BenchImage } from './bench-image.ts';
import { settle } from './measure.ts';
import type { PortalProcess } from './portal-process.ts';
import type { ProvisimCommand } from './provisim-bin.ts';

/** What a run after a SIGKILL at 50 % fetched and how long it took to rebuild its hash. */
export interface ResumeReport {
  /** Bytes the killed run held, as its last progress line said. */
  readonly killedAt: number;
  readonly remainingBytes: number;
  /** Image bytes the second run received, over all its attempts. */
  readonly fetchedBytes: number;
  /** Offset the second run resumed from (`download-resumed`), 0 when it started over. */
  readonly heldBytes: number;
  /** `rehashMs` of the `download-resumed` event; undefined when the agent does not report it. */
  readonly rehashMs: number | undefined;
}

const STOP_FAULT = 'bench-stop-at-half';

/** Kills the agent (SIGKILL) at exactly half the image, runs it again and reports the rerun. */
export async function resumeCheck(
  provisim: ProvisimCommand,
  portal: PortalProcess,
  target: AgentTarget,
  image: BenchImage,
  dir: string,
): Promise<ResumeReport> {
  const at = Math.floor(image.archiveBytes / 2);
  const home = join(dir, 'home');
  // Stalled at that file offset before the agent starts, so the kill never depends on timing.
  await portal.addFault({
    id: STOP_FAULT,
    type: 'stall',
    atBytes: at,
    inFile: true,
    scope: { paths: ['/images/*'], methods: ['GET'] },
  });
  let killedAt: number;
  try {
    const first = new AgentWatch(provisim, target, home);
    try {
      await first.until(() => first.transferred >= at, `the agent ended before byte ${at}`);
    } finally {
      await first.kill();
    }
    killedAt = first.transferred;
  } finally {
    await portal.removeFault(STOP_FAULT);
  }
  await settle();
  const second = new AgentWatch(provisim, target, home);
  await second.exited;
  if (second.result?.outcome !== 'registered') {
    throw new Error(`the resumed run ended ${JSON.stringify(second.result ?? 'without a result')}`);
  }
  const resumed = second.event('download-resumed');
  const restarted = second.event('download-restarted');
  const how = resumed
    ? `resumed at ${String(resumed.offset)}`
    : `started over${restarted ? ` (${String(restarted.reason)})` : ''}`;
  process.stderr.write(`  resume check: killed at ${killedAt}; the 2nd run ${how}\n`);
  return {
    killedAt,
    remainingBytes: image.archiveBytes - killedAt,
    fetchedBytes: second.bytesReceived,
    heldBytes: typeof resumed?.offset === 'number' ? resumed.offset : 0,
    rehashMs: typeof resumed?.rehashMs === 'number' ? resumed.rehashMs : undefined,
  };
}
