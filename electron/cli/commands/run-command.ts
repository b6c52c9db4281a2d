import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { BackendChoice } from '../../../shared/agent-store-schema.ts';
import type { Invitation, InvitationAnswer } from '../../../shared/invitation.ts';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import { exitCodeFor, type RunResult } from '../../../shared/run-result.ts';
import { checkConfig, rememberConfig, type AgentConfig } from '../../agent/agent-config.ts';
import { acquireAgentLock } from '../../agent/agent-lock.ts';
import { openAgentStore } from '../../agent/agent-store.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import { closeLoggers } from '../../agent/logger.ts';
import { runNewVmAction } from '../../agent/provisioning-job.ts';
import { UPDATE_CHOICES, type UpdateChoice } from '../../agent/golden-image-update.ts';
import { runAssistantAction } from '../../agent/assistant-job.ts';
import type { Transport } from '../../agent/transport.ts';
import { askAssistant } from '../ask-assistant.ts';
import { askInvitation } from '../ask-invitation.ts';
import {
  parseArch,
  parseHostname,
  parsePositiveInt,
  backendOption,
  proxyOption,
  retriesOption,
  retryDelayOption,
  stallTimeoutOption,
} from '../cli-options.ts';
import { createRunOutput, describeCreateResult } from '../run-output.ts';
import { withInterrupt } from '../interrupt.ts';
import { connectionConfig, type ConnectionFlags } from '../connection-config.ts';
import type { SetExitCode } from '../exit-code.ts';

interface RunFlags extends ConnectionFlags {
  home?: string;
  vmDir?: string;
  accept?: boolean;
  decline?: boolean;
  force?: boolean;
  update?: UpdateChoice;
  backend?: BackendChoice;
  json?: boolean;
  stallTimeout?: number;
  retries?: number;
  retryDelay?: number;
  checkpointBytes?: number;
  progressLines?: boolean;
}

/** Registers `provisim run`: one "New VM" action against a portal. */
export function registerRunCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('run')
    .description('Run one "New VM" action: check in, get the invitation, download and register.')
    .option('--portal <url>', 'management portal base URL (remembered in the home folder)')
    .option('--license <key>', 'license key (remembered in the home folder)')
    .option(
      '--ca-file <pem>',
      "extra CA certificate (PEM) to trust beside the system's, e.g. your organisation's (remembered)",
    )
    .addOption(proxyOption())
    .option('--arch <arch>', 'CPU architecture to report: arm64 or x86_64', parseArch)
    .option('--hostname <name>', "host name to report (default: this machine's)", parseHostname)
    .option('--home <dir>', 'agent home folder (default $PROVISIM_HOME or ~/.provisim)')
    .option('--vm-dir <dir>', 'where VMs are placed (default <home>/Parallels)')
    .addOption(new Option('--accept', 'accept the invitation without asking').conflicts('decline'))
    .addOption(new Option('--decline', 'decline the invitation without asking'))
    .option('--force', 'download again even if a VM from this image is registered')
    .addOption(backendOption())
    .addOption(
      new Option(
        '--update <choice>',
        'answer to an update of the golden image a VM came from: replace (removes the previous VM once the new one is registered, where policy allows), keep-both, or skip',
      ).choices(UPDATE_CHOICES),
    )
    .option('--json', 'print NDJSON events on stdout; the last line is the result')
    .addOption(stallTimeoutOption())
    .addOption(retriesOption())
    .addOption(retryDelayOption())
    .addOption(new Option('--progress-lines', 'with --json, a progress line per chunk').hideHelp())
    .addOption(
      new Option('--checkpoint-bytes <n>', 'record the hash in the journal every n bytes')
        .argParser(parsePositiveInt)
        .hideHelp(),
    )
    // A thrown error ends in runCli, which prints the failed result line with --json.
    .action(async (flags: RunFlags) => setExitCode(await runCommand(flags)));
}

async function runCommand(flags: RunFlags) {
  const home = resolveHome(flags.home);
  const store = openAgentStore(home);
  const config = connectionConfig(store, flags, {
    // Absolute, as the registry and Parallels Desktop keep each VM's path.
    vmDir: flags.vmDir === undefined ? undefined : resolve(flags.vmDir),
    backend: flags.backend,
  });
  // Checked before anything runs, so a bad CA file or proxy is a usage error (exit 2).
  const transport = checkConfig(config);
  if (!flags.accept && !flags.decline && !flags.update && !process.stdin.isTTY) {
    throw new ProvisimError('USAGE', {
      message:
        'There is no terminal to ask on: pass --accept or --decline (and --update for updates).',
    });
  }
  const release = await acquireAgentLock(home);
  try {
    rememberConfig(store, config);
    return await runLocked(home, flags, config, transport);
  } finally {
    await release();
    await closeLoggers();
  }
}

async function runLocked(home: string, flags: RunFlags, config: AgentConfig, transport: Transport) {
  const output = createRunOutput({ json: flags.json === true, progressLines: flags.progressLines });
  const result: RunResult = await withInterrupt((signal) =>
    runNewVmAction({
      home,
      config,
      transport,
      lockHeld: true,
      force: flags.force,
      signal,
      decide: async (invitation) => {
        const given = answerFromFlags(flags, invitation);
        if (given) return given;
        if (!process.stdin.isTTY) throw noTerminalFor(invitation);
        output.pause();
        return askInvitation(invitation);
      },
      onEvent: output.event,
      onProgress: output.progress,
      tuning: {
        stallTimeoutMs: flags.stallTimeout,
        retries: flags.retries,
        minRetryDelayMs: flags.retryDelay,
        checkpointBytes: flags.checkpointBytes,
      },
    }),
  );
  output.result(result);
  // Declined at the terminal: the Installation Assistant is the next step, as in the app.
  if (result.outcome === 'declined' && !flags.decline && !flags.json) {
    const answers = await askAssistant();
    if (answers) {
      const created = await runAssistantAction({ home, ...answers, config, lockHeld: true });
      process.stdout.write(`${describeCreateResult(created)}\n`);
      return exitCodeFor(created);
    }
  }
  return exitCodeFor(result);
}

// An update removes a VM: only --update (or the terminal) answers it; --decline skips it.
function answerFromFlags(flags: RunFlags, invitation: Invitation): InvitationAnswer | undefined {
  if (invitation.update) {
    if (flags.update) return flags.update === 'skip' ? 'decline' : flags.update;
    return flags.decline ? 'decline' : undefined;
  }
  if (flags.accept) return 'accept';
  if (flags.decline) return 'decline';
  return undefined;
}

function noTerminalFor(invitation: Invitation): ProvisimError {
  return new ProvisimError('USAGE', {
    message: invitation.update
      ? 'An update of the corporate VM is offered and there is no terminal to ask on: --accept does not answer it, as Replace removes the previous VM. Pass --update replace, keep-both or skip.'
      : 'There is no terminal to ask on: pass --accept or --decline.',
  });
}
