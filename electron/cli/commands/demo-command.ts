import { join } from 'node:path';
import type { Command } from 'commander';
import prettyBytes from 'pretty-bytes';
import { exitCodeFor } from '../../../shared/run-result.ts';
import { terminalText } from '../../../shared/terminal-text.ts';
import type { Arch } from '../../../shared/protocol.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import { detectHostArch } from '../../agent/identity.ts';
import { closeLoggers } from '../../agent/logger.ts';
import { runNewVmAction } from '../../agent/provisioning-job.ts';
import { HOME_FOLDER_ADVICE, prepareWritableFolder } from '../../agent/writable-folder.ts';
import { DEFAULT_DEMO_IMAGE_BYTES, prepareDemoOrg } from '../../portal/demo-org.ts';
import { startPortal } from '../../portal/server.ts';
import { parseArch, parsePositiveInt, parseSizeOption, proxyOption } from '../cli-options.ts';
import { runDemoFleet } from './demo-fleet.ts';
import { withInterrupt } from '../interrupt.ts';
import type { SetExitCode } from '../exit-code.ts';
import { createRunOutput } from '../run-output.ts';

interface DemoFlags {
  home?: string;
  arch?: Arch;
  size?: number;
  proxy?: string;
  force?: boolean;
  json?: boolean;
  macs?: number;
}

// Small enough for a fleet's copies on one disk; the bandwidth cap makes the rollout last.
const FLEET_DEMO_IMAGE_BYTES = 8 * 1024 * 1024;

/** Registers `provisim demo`: the embedded demo portal and one agent run against it. */
export function registerDemoCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('demo')
    .description('Start the demo portal in-process and provision its corporate VM, with progress.')
    .option('--home <dir>', 'agent home folder (default $PROVISIM_HOME or ~/.provisim)')
    .option('--arch <arch>', 'CPU architecture to simulate (default: this machine)', parseArch)
    .option('--size <size>', 'disk data size of the demo images (default 64MiB)', parseSizeOption)
    .addOption(proxyOption())
    .option('--force', 'download again even if the demo VM is registered')
    .option('--json', 'print NDJSON events on stdout; the last line is the result')
    .option(
      '--macs <n>',
      'roll out to this many simulated Macs instead (see provisim fleet)',
      parsePositiveInt,
    )
    .action(async (flags: DemoFlags) => {
      const home = resolveHome(flags.home);
      const dataDir = join(home, 'demo-portal');
      const log = (line: string) => {
        if (!flags.json) process.stderr.write(`${terminalText(line)}\n`);
      };
      // Named as the home folder's problem, before the demo images are made in it.
      await prepareWritableFolder(home, 'agent home folder', HOME_FOLDER_ADVICE);
      log('Preparing the demo organisation (images are generated once and cached)...');
      const sizeBytes = flags.size ?? (flags.macs ? FLEET_DEMO_IMAGE_BYTES : undefined);
      const demo = await prepareDemoOrg({ dataDir, sizeBytes });
      const portal = await startPortal({ dataDir, org: demo.org, persist: true });
      log(`Demo portal at ${portal.url}, license key ${demo.agentLicenseKey}`);
      const saved = portal.persistence;
      if (saved?.loaded && JSON.stringify(portal.org) !== JSON.stringify(demo.org)) {
        log(
          `The demo portal serves the organisation saved in ${saved.orgStateFile} (changed through the admin API or made with another --size); delete that file to start again from the demo organisation.`,
        );
      }
      if (flags.macs !== undefined) {
        try {
          const json = flags.json === true;
          const imageBytes = sizeBytes ?? DEFAULT_DEMO_IMAGE_BYTES;
          const fleet = { home, macs: flags.macs, imageBytes, json, proxyUrl: flags.proxy };
          setExitCode(await runDemoFleet(portal, fleet));
        } finally {
          await portal.close();
          await closeLoggers();
        }
        return;
      }
      const output = createRunOutput({ json: flags.json === true });
      const startedAt = Date.now();
      let transferred = 0;
      try {
        const result = await withInterrupt((signal) =>
          runNewVmAction({
            home,
            // The demo's own portal, which lives as long as this command: nothing is remembered.
            config: {
              portalUrl: portal.url,
              licenseKey: demo.agentLicenseKey,
              proxyUrl: flags.proxy,
              arch: flags.arch ?? detectHostArch(),
            },
            force: flags.force,
            signal,
            decide: async () => 'accept',
            onEvent: output.event,
            onProgress: (progress) => {
              transferred = progress.transferred - progress.resumedFrom;
              output.progress(progress);
            },
          }),
        );
        output.result(result);
        const seconds = (Date.now() - startedAt) / 1000;
        const device = portal.state.devices()[0];
        log(
          `Summary: ${result.outcome} in ${seconds.toFixed(1)} s, ${prettyBytes(transferred)} transferred` +
            (seconds > 0 ? ` (${prettyBytes(transferred / seconds)}/s)` : '') +
            (device
              ? `; the portal sees ${device.hostname} at phase "${device.lastPhase ?? 'none'}"`
              : ''),
        );
        setExitCode(exitCodeFor(result));
      } finally {
        await portal.close();
        await closeLoggers();
      }
    });
}
