import type { Command } from 'commander';
import { EXIT_CODES } from '../../../shared/codes.ts';
import type { Arch } from '../../../shared/protocol.ts';
import { isProvisimError } from '../../../shared/provisim-error.ts';
import type { AgentResult } from '../../../shared/run-result.ts';
import { terminalText } from '../../../shared/terminal-text.ts';
import { checkConfig, configFrom, rememberConfig } from '../../agent/agent-config.ts';
import { acquireAgentLock } from '../../agent/agent-lock.ts';
import { AgentService } from '../../agent/agent-service.ts';
import { openAgentStore } from '../../agent/agent-store.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import { closeLoggers } from '../../agent/logger.ts';
import { parseArch, parseHostname, proxyOption } from '../cli-options.ts';
import { untilInterrupted } from '../interrupt.ts';
import { writeJsonLine } from '../json-output.ts';
import type { SetExitCode } from '../exit-code.ts';

interface AgentFlags {
  portal: string;
  license: string;
  proxy?: string;
  arch?: Arch;
  hostname?: string;
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
    .addOption(proxyOption())
    .option('--arch <arch>', 'CPU architecture to report: arm64 or x86_64', parseArch)
    .option('--hostname <name>', "host name to report (default: this machine's)", parseHostname)
    .option('--home <dir>', 'agent home folder (default $PROVISIM_HOME or ~/.provisim)')
    .option('--json', 'print one JSON line per check-in; the last line is the result')
    .action(async (flags: AgentFlags) => {
      const print = (value: Record<string, unknown>, text: string) => {
        if (flags.json) writeJsonLine(value);
        else process.stdout.write(`${terminalText(text)}\n`);
      };
      const home = resolveHome(flags.home);
      const store = openAgentStore(home);
      const { portal: portalUrl, license: licenseKey, proxy: proxyUrl, arch, hostname } = flags;
      const config = { ...configFrom(store, { proxyUrl, arch, hostname }), portalUrl, licenseKey };
      // Checked first: a bad portal URL, CA file or proxy is a usage error, and is not remembered.
      const transport = checkConfig(config);
      const release = await acquireAgentLock(home);
      const service = new AgentService({
        home,
        config,
        transport,
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
      try {
        rememberConfig(store, config);
        service.start();
        await untilInterrupted();
        await service.stop();
      } finally {
        await release();
        await closeLoggers();
      }
      const result: AgentResult = { type: 'result', outcome: 'stopped' };
      if (flags.json) writeJsonLine(result);
      setExitCode(EXIT_CODES.OK);
    });
}
