import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { DiskMode } from '../../agent/golden-image-install.ts';
import type { ExitCode } from '../../../shared/codes.ts';
import type { Arch } from '../../../shared/protocol.ts';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import { checkConfig } from '../../agent/agent-config.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import {
  parseArchMix,
  parseDuration,
  parseDurationRange,
  parseRate,
  parseShard,
  readLicensesFile,
} from '../../fleet/fleet-options.ts';
import { planFleet, shareOf, type FleetPlanOptions, type MacPlan } from '../../fleet/fleet-plan.ts';
import {
  parsePositiveInt,
  parseSizeOption,
  proxyOption,
  retriesOption,
  retryDelayOption,
  stallTimeoutOption,
} from '../cli-options.ts';
import type { SetExitCode } from '../exit-code.ts';
import { runFleetWithOutput } from '../fleet-output.ts';

/** The options `provisim fleet` hands its action, as its parsers made them. */
export interface FleetFlags {
  portal: string;
  macs: number;
  license: string[];
  licenses?: string;
  archMix: Record<Arch, number>;
  acceptRate: number;
  ramp: number;
  think: { min: number; max: number };
  seed: number;
  home?: string;
  caFile?: string;
  proxy?: string;
  json?: boolean;
  junit?: string;
  bandwidthPerMac?: number;
  disk: DiskMode;
  shard?: { index: number; count: number };
  stallTimeout?: number;
  retries?: number;
  retryDelay?: number;
}

const MAX_MACS = 10_000;

/** Registers `provisim fleet`: many simulated Macs in one process, each with its own identity and home. */
export function registerFleetCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('fleet')
    .description('Roll out to a fleet of simulated Macs in one process, and tally how each ended.')
    .requiredOption('--portal <url>', 'management portal base URL')
    .requiredOption('--macs <n>', `how many Macs (at most ${MAX_MACS})`, parsePositiveInt)
    .option(
      '--license <key>',
      'a license key; give several to spread the Macs over them',
      collect,
      [],
    )
    .option('--licenses <file>', 'license keys, one "key,weight" per line')
    .option('--arch-mix <shares>', 'architectures, e.g. arm64=70,x86_64=30', parseArchMix, {
      arm64: 1,
      x86_64: 0,
    })
    .option(
      '--accept-rate <share>',
      'share of Macs whose user accepts the invitation',
      parseRate,
      1,
    )
    .option('--ramp <time>', 'start the Macs spread over this time, e.g. 60s', parseDuration, 0)
    .option(
      '--think <range>',
      "a user's time to answer the invitation, e.g. 1s..5s",
      parseDurationRange,
      { min: 0, max: 0 },
    )
    .option(
      '--seed <n>',
      'seed of every choice: the same seed makes the same fleet',
      parsePositiveInt,
      1,
    )
    .option(
      '--bandwidth-per-mac <rate>',
      "each Mac's download rate, bytes a second like 2MiB (its line's speed)",
      parseSizeOption,
    )
    .addOption(
      new Option(
        '--disk <mode>',
        'full: unpack and register each VM; none: check every byte, write none, register as simulated',
      )
        .choices(['full', 'none'])
        .default('full'),
    )
    .option(
      '--shard <i/n>',
      'run shard i of n (from 0): n processes (or machines) share one fleet',
      parseShard,
    )
    .option('--home <dir>', 'home of the fleet; each Mac gets <home>/fleet/<hostname>')
    .option('--ca-file <pem>', "extra CA certificate (PEM) to trust beside the system's")
    .addOption(proxyOption())
    .option('--json', 'print one NDJSON line per Mac as it ends, then the fleet-result line')
    .option('--junit <file>', 'write a JUnit XML report, one test case per Mac')
    // For scenarios about hanging or failing servers, as `run` has them.
    .addOption(stallTimeoutOption())
    .addOption(retriesOption())
    .addOption(retryDelayOption())
    .action(async (flags: FleetFlags) => setExitCode(await fleetCommand(flags)));
}

async function fleetCommand(flags: FleetFlags): Promise<ExitCode> {
  if (flags.macs > MAX_MACS) {
    throw new ProvisimError('USAGE', { message: `A fleet has at most ${MAX_MACS} Macs.` });
  }
  const licenses = [
    ...flags.license.map((key) => ({ key, weight: 1 })),
    ...(flags.licenses ? await readLicensesFile(flags.licenses) : []),
  ];
  if (licenses.length === 0) {
    throw new ProvisimError('USAGE', {
      message: 'Give --license KEY (one or more) or --licenses FILE.',
    });
  }
  const caFile = flags.caFile === undefined ? undefined : resolve(flags.caFile);
  const connection = { portalUrl: flags.portal, caFile, proxyUrl: flags.proxy };
  // Checked once for the fleet: a bad portal URL, CA file or proxy is a usage error (exit 2).
  checkConfig({ ...connection, licenseKey: licenses[0]!.key });
  const macs = shareOfFlags(flags, licenses);
  return runFleetWithOutput(
    {
      home: resolveHome(flags.home),
      macs,
      disk: flags.disk,
      connection,
      tuning: {
        stallTimeoutMs: flags.stallTimeout,
        retries: flags.retries,
        minRetryDelayMs: flags.retryDelay,
        bytesPerSecond: flags.bandwidthPerMac,
      },
    },
    { json: flags.json === true, junit: flags.junit },
  );
}

/** The Macs these flags run: the whole fleet planned, then this shard's share of it. */
export function shareOfFlags(flags: FleetFlags, licenses: FleetPlanOptions['licenses']): MacPlan[] {
  const planned = planFleet({
    macs: flags.macs,
    licenses,
    archMix: flags.archMix,
    acceptRate: flags.acceptRate,
    rampMs: flags.ramp,
    thinkMs: flags.think,
    seed: flags.seed,
  });
  // Planned whole, then shared out, so a Mac is the same in every split.
  return shareOf(planned, flags.shard ?? { index: 0, count: 1 });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
