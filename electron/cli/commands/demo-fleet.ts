import type { ExitCode } from '../../../shared/codes.ts';
import { DEMO_LICENSE_KEYS } from '../../portal/demo-org.ts';
import type { RunningPortal } from '../../portal/server.ts';
import { planFleet } from '../../fleet/fleet-plan.ts';
import { runFleetWithOutput } from '../fleet-output.ts';
import { describeState } from './portal-command.ts';

/** How long one Mac's download takes in the fleet demo, so the rollout can be watched. */
const DOWNLOAD_SECONDS = 20;

/** Rolls the demo portal's corporate VM out to `macs` simulated Macs, over about a minute. */
export async function runDemoFleet(
  portal: RunningPortal,
  options: { home: string; macs: number; imageBytes: number; json: boolean; proxyUrl?: string },
): Promise<ExitCode> {
  // Each image download is capped, so the admin pages show Macs downloading side by side.
  portal.faults.add({
    id: 'demo-fleet-bandwidth',
    type: 'bandwidth',
    bytesPerSec: Math.max(64 * 1024, Math.ceil(options.imageBytes / DOWNLOAD_SECONDS)),
    scope: { paths: ['/images/*'] },
  });
  // Only here is the token of use: the one-Mac demo's portal is gone a second after its run.
  process.stderr.write(describeState(portal));
  if (!options.json) {
    process.stderr.write(`Watch the rollout in the admin pages: ${portal.url}/admin\n`);
  }
  const macs = planFleet({
    macs: options.macs,
    // Finance is the "corporate VMs only" group: its Macs that decline get no VM at all.
    licenses: [
      { key: DEMO_LICENSE_KEYS.engineering, weight: 3 },
      { key: DEMO_LICENSE_KEYS.finance, weight: 1 },
    ],
    archMix: { arm64: 70, x86_64: 30 },
    acceptRate: 0.85,
    // Starts spread over up to 20 s: a small fleet does not wait for nothing.
    rampMs: Math.min(20_000, options.macs * 400),
    thinkMs: { min: 1_000, max: 4_000 },
    seed: 1,
  });
  return runFleetWithOutput(
    {
      home: options.home,
      macs,
      disk: 'full',
      connection: { portalUrl: portal.url, proxyUrl: options.proxyUrl },
    },
    { json: options.json },
  );
}
