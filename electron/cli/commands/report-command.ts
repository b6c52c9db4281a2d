import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import prettyBytes from 'pretty-bytes';
import { EXIT_CODES, type ExitCode } from '../../../shared/codes.ts';
import type { ReportReceipt } from '../../../shared/protocol.ts';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import { exitCodeFor, failedResult } from '../../../shared/run-result.ts';
import { terminalLine } from '../../../shared/terminal-text.ts';
import { canCheckIn, checkConfig, configFrom } from '../../agent/agent-config.ts';
import { openAgentStore } from '../../agent/agent-store.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import { resolveBackend } from '../../agent/hypervisor/choose-backend.ts';
import { createProblemReport, type ProblemReportFile } from '../../agent/report/problem-report.ts';
import { sendProblemReport } from '../../agent/report/send-report.ts';
import { withInterrupt } from '../interrupt.ts';
import { reportFailure, writeJsonLine } from '../json-output.ts';
import type { SetExitCode } from '../exit-code.ts';

interface ReportFlags {
  out?: string;
  send?: boolean;
  home?: string;
  json?: boolean;
  portal?: string;
  license?: string;
  caFile?: string;
  proxy?: string;
}

/** Registers `provisim report`: a problem report bundle, optionally sent to the portal. */
export function registerReportCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('report')
    .description(
      'Write a problem report (logs, settings, events, environment and network checks, secrets removed) as a .tar.gz, and with --send upload it to the portal.',
    )
    .option('--out <dir>', 'folder for the bundle (default <home>/reports)')
    .option('--send', 'send the bundle to the management portal')
    .option('--home <dir>', 'agent home folder (default $PROVISIM_HOME or ~/.provisim)')
    .option('--portal <url>', 'portal to send to (default: the one remembered in the home folder)')
    .option('--license <key>', 'license key to send with (default: the remembered one)')
    .option('--ca-file <pem>', 'extra CA certificate (PEM) to trust (default: the remembered one)')
    .addOption(
      new Option(
        '--proxy <url>',
        'HTTP proxy to send through (default: the remembered one, else $HTTPS_PROXY / $HTTP_PROXY)',
      ),
    )
    .option('--json', 'print one NDJSON result line')
    // A bundle that cannot be written ends in runCli, which prints the failed result line.
    .action(async (flags: ReportFlags) => setExitCode(await reportCommand(flags)));
}

async function reportCommand(flags: ReportFlags): Promise<ExitCode> {
  const home = resolveHome(flags.home);
  const outDir = flags.out === undefined ? undefined : resolve(flags.out);
  // The backend a run would use; a prlctl that fails to answer is itself worth reporting.
  const saved = openAgentStore(home).get('backend');
  const backend = await resolveBackend(saved).then(
    (chosen) => chosen.kind,
    () => undefined,
  );
  const report = await withInterrupt((signal) =>
    createProblemReport({ home, outDir, signal, backend }),
  );
  if (!flags.send) return reported(flags, report);
  let receipt: ReportReceipt;
  try {
    receipt = await withInterrupt((signal) => send(home, flags, report, signal));
  } catch (error) {
    // The bundle is written whatever sending did: say where, and why it was not sent.
    if (flags.json) writeJsonLine({ ...failedResult(error), ...report, sent: false });
    else process.stdout.write(describe(report));
    reportFailure(error, flags.json === true);
    if (!flags.json) {
      const kept = `The report was not sent; it is kept at ${terminalLine(report.path)}.\n`;
      process.stderr.write(kept);
    }
    return exitCodeFor(failedResult(error));
  }
  return reported(flags, report, receipt);
}

async function send(
  home: string,
  flags: ReportFlags,
  report: ProblemReportFile,
  signal: AbortSignal,
) {
  const config = configFrom(openAgentStore(home), {
    portalUrl: flags.portal,
    licenseKey: flags.license,
    caFile: flags.caFile === undefined ? undefined : resolve(flags.caFile),
    proxyUrl: flags.proxy,
  });
  if (!canCheckIn(config)) {
    throw new ProvisimError('NOT_CONFIGURED', {
      message:
        'There is no portal and license key to send the report with. Give --portal and --license, or run provisim run with them once.',
    });
  }
  const transport = checkConfig(config);
  return sendProblemReport({ home, config, transport, path: report.path, id: report.id, signal });
}

function reported(
  flags: ReportFlags,
  report: ProblemReportFile,
  receipt?: ReportReceipt,
): ExitCode {
  const sent = receipt !== undefined;
  if (flags.json) {
    writeJsonLine({
      type: 'result',
      outcome: 'reported',
      ...report,
      sent,
      ...(sent ? { receipt } : {}),
    });
    return EXIT_CODES.OK;
  }
  process.stdout.write(describe(report));
  if (receipt) {
    process.stdout.write(
      `Sent to the portal: received ${receipt.receivedAt} as ${receipt.id} (${prettyBytes(receipt.sizeBytes)}).\n`,
    );
  }
  return EXIT_CODES.OK;
}

function describe(report: ProblemReportFile): string {
  return `Problem report ${report.id} (${prettyBytes(report.sizeBytes)}): ${terminalLine(report.path)}\n`;
}
