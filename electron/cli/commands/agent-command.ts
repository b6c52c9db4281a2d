import type { Command } from 'commander';
import { EXIT_CODES } from '../../../shared/codes.ts';
import type { Arch } from '../../../shared/protocol.ts';
import { isProvisimError } from '../../../shared/provisim-error.ts';
import { AgentService } from '../../agent/agent-service.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import { closeLoggers } from '../../agent/logger.ts';
import { parseArch } from '../cli-options.ts';
import { untilInterrupted } from '../interrupt.ts';
import type { SetExitCode } from '../program.ts';

interface AgentFlags {
  portal: string;
  license: string;
  arch?: Arch;
  home?: string;
  json?: boolean;
}

/** Registers `provisim agent`: check in on the portal's schedule until Ctrl-C. */
export function registerAgentCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('agent')
    .description(
      "Keep the agent running: check in on the portal's schedule and deliver queued events.",
    )
    .requiredOption('--portal <url>', 'management portal base URL')
    .requiredOption('--license <key>', 'license key')
    .option('--arch <arch>', 'CPU architecture to report: arm64 or x86_64', parseArch)
    .option('--home <dir>', 'agent home folder (default $PROVISIM_HOME or ~/.provisim)')
    .option('--json', 'print one JSON line per check-in')
    .action(async (flags: AgentFlags) => {
      const print = (value: Record<string, unknown>, text: string) =>
        process.stdout.write(flags.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
      const service = new AgentService({
        home: resolveHome(flags.home),
        portalUrl: flags.portal,
        licenseKey: flags.license,
        arch: flags.arch,
        onCheckIn: ({ policy, changed, checkInIntervalSec }) =>
          print(
            { type: 'checked-in', changed, policyRevision: policy.revision, checkInIntervalSec },
            `Checked in: policy revision ${policy.revision}${changed ? ' (new)' : ''}; next in about ${checkInIntervalSec} s`,
          ),
        onError: (error) => {
          const code = isProvisimError(error) ? error.code : 'INTERNAL_ERROR';
          const message = error instanceof Error ? error.message : String(error);
          print(
            { type: 'check-in-failed', error: { code, message } },
            `Check-in failed (${code}): ${message}`,
          );
        },
      });
      await service.start();
      await untilInterrupted();
      await service.stop();
      await closeLoggers();
      setExitCode(EXIT_CODES.OK);
    });
}
