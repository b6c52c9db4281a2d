// One agent run for the benchmark, in its own process so its peak RSS is its own.
import { performance } from 'node:perf_hooks';
import { runNewVmAction } from '../../electron/agent/provisioning-job.ts';
import type { Arch } from '../../shared/protocol.ts';

const [portalUrl, licenseKey, home, arch] = process.argv.slice(2);
let downloadStartedAt = 0;
let downloadFinishedAt = 0;
const startedAt = performance.now();
const result = await runNewVmAction({
  home: home!,
  portalUrl: portalUrl!,
  licenseKey: licenseKey!,
  arch: arch as Arch,
  decide: async () => 'accept',
  onEvent: (event) => {
    if (event.type === 'download-started') downloadStartedAt = performance.now();
    if (event.type === 'download-finished') downloadFinishedAt = performance.now();
  },
});
const provisionMs = performance.now() - startedAt;
process.stdout.write(
  `${JSON.stringify({
    outcome: result.outcome,
    error: result.error,
    provisionMs,
    downloadMs: downloadFinishedAt - downloadStartedAt,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
