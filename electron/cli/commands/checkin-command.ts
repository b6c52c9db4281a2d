import type { Command } from 'commander';
import prettyBytes from 'pretty-bytes';
import { EXIT_CODES } from '../../../shared/codes.ts';
import type { Policy } from '../../../shared/protocol.ts';
import { terminalJson, terminalLine } from '../../../shared/terminal-text.ts';
import { checkConfig, rememberConfig } from '../../agent/agent-config.ts';
import { openAgent } from '../../agent/agent-context.ts';
import { acquireAgentLock } from '../../agent/agent-lock.ts';
import { openAgentStore } from '../../agent/agent-store.ts';
import { checkInAndCache } from '../../agent/check-in.ts';
import { previousVersionOf } from '../../agent/golden-image-update.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import { closeLoggers } from '../../agent/logger.ts';
import { VmRegistry } from '../../agent/vm-registry.ts';
import { parseArch, parseHostname, proxyOption } from '../cli-options.ts';
import { connectionConfig, type ConnectionFlags } from '../connection-config.ts';
import type { SetExitCode } from '../exit-code.ts';

interface CheckinFlags extends ConnectionFlags {
  home?: string;
  json?: boolean;
}

/** What `provisim checkin` found: the policy as the portal sent it, and what it means here. */
interface CheckinReport {
  readonly type: 'result';
  readonly outcome: 'checked-in';
  readonly portalUrl: string;
  readonly policy: Policy;
  readonly changed: boolean;
  readonly checkInIntervalSec: number;
  /** Registered VMs made from an earlier version of the offered golden image. */
  readonly updates: number;
}

/** Registers `provisim checkin`: connect now, as the vendor's get-policies command does. */
export function registerCheckinCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('checkin')
    .description('Check in with the portal now: print the policy, whether it changed, and updates.')
    .option('--portal <url>', 'management portal base URL (remembered in the home folder)')
    .option('--license <key>', 'license key (remembered in the home folder)')
    .option('--ca-file <pem>', "extra CA certificate (PEM) to trust beside the system's")
    .addOption(proxyOption())
    .option('--arch <arch>', 'CPU architecture to report: arm64 or x86_64', parseArch)
    .option('--hostname <name>', "host name to report (default: this machine's)", parseHostname)
    .option('--home <dir>', 'agent home folder (default $PROVISIM_HOME or ~/.provisim)')
    .option('--json', 'print the result as one JSON line')
    .action(async (flags: CheckinFlags) => {
      const report = await checkIn(flags);
      process.stdout.write(`${flags.json ? terminalJson(report) : describe(report)}\n`);
      setExitCode(EXIT_CODES.OK);
    });
}

async function checkIn(flags: CheckinFlags): Promise<CheckinReport> {
  const home = resolveHome(flags.home);
  const store = openAgentStore(home);
  const config = connectionConfig(store, flags);
  const transport = checkConfig(config);
  const release = await acquireAgentLock(home);
  try {
    rememberConfig(store, config);
    const agent = openAgent(home, config, transport);
    const outcome = await checkInAndCache({ ...agent, ...config });
    const cache = agent.store.get('policyCache')!;
    const image = outcome.policy.goldenImage;
    const registry = new VmRegistry(agent.store);
    const updates =
      image && !registry.findBySha256(image.sha256)
        ? previousVersionOf(registry, image)
        : undefined;
    return {
      type: 'result',
      outcome: 'checked-in',
      portalUrl: cache.portalUrl,
      policy: cache.policy,
      changed: outcome.changed,
      checkInIntervalSec: outcome.checkInIntervalSec,
      updates: updates ? 1 : 0,
    };
  } finally {
    await release();
    await closeLoggers();
  }
}

function describe(report: CheckinReport): string {
  const { policy } = report;
  const yesNo = (value: boolean) => (value ? 'yes' : 'no');
  const image = policy.goldenImage;
  const lines = [
    `Checked in with ${line(report.portalUrl)}: policy ${line(policy.id)} revision ${policy.revision}, ${report.changed ? 'received' : 'unchanged since the last check-in'}`,
    `  User group: ${policy.groupName === undefined ? '(none)' : line(policy.groupName)}`,
    image
      ? `  Golden image: "${line(image.name)}" (${image.arch}, ${image.sizeBytes === undefined ? 'size unknown' : prettyBytes(image.sizeBytes)}), SHA-256 ${line(image.sha256)}`
      : '  Golden image: none for this Mac',
    `  Corporate VMs only: ${yesNo(policy.restrictToCorporateVms)}; one corporate VM per user: ${yesNo(policy.oneCorporateVmPerUser)}; removal of corporate VMs prevented: ${yesNo(policy.preventCorporateVmRemoval)}`,
    `  Updates available: ${report.updates}${report.updates > 0 ? ' (run provisim run to answer)' : ''}`,
    `  Next check-in in ${report.checkInIntervalSec} s`,
  ];
  return lines.join('\n');
}

// Names and ids come from the portal: one line each, controls escaped.
function line(value: string): string {
  return terminalLine(value);
}
