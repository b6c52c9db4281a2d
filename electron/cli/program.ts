import { Command, CommanderError } from 'commander';
import { EXIT_CODES, type ExitCode } from '../../shared/codes.ts';
import { agentVersion } from '../agent/identity.ts';
import type { SetExitCode } from './exit-code.ts';
import { asksForJson, reportFailure, reportUsageError } from './json-output.ts';

type Register = (program: Command, setExitCode: SetExitCode) => void;

// Each command is loaded only when it runs: `run` never pays for the portal's web framework or
// the scenario runner's YAML parser. The bundle keeps each one in a chunk of its own.
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  portal: async () => (await import('./commands/portal-command.ts')).registerPortalCommand,
  run: async () => (await import('./commands/run-command.ts')).registerRunCommand,
  agent: async () => (await import('./commands/agent-command.ts')).registerAgentCommand,
  demo: async () => (await import('./commands/demo-command.ts')).registerDemoCommand,
  vms: async () => (await import('./commands/vms-command.ts')).registerVmsCommand,
  create: async () => (await import('./commands/create-command.ts')).registerCreateCommand,
  pack: async () => (await import('./commands/pack-command.ts')).registerPackCommand,
  'make-image': async () =>
    (await import('./commands/make-image-command.ts')).registerMakeImageCommand,
  fleet: async () => (await import('./commands/fleet-command.ts')).registerFleetCommand,
  scenario: async () => (await import('./commands/scenario-command.ts')).registerScenarioCommand,
  checkin: async () => (await import('./commands/checkin-command.ts')).registerCheckinCommand,
  report: async () => (await import('./commands/report-command.ts')).registerReportCommand,
};

/**
 * Builds the `provisim` command tree (only `commandName` when it names one, every command for
 * the overall help); actions report their exit code through `setExitCode`.
 */
export async function buildProgram(
  setExitCode: SetExitCode,
  commandName?: string,
): Promise<Command> {
  const program = new Command('provisim')
    .description('Corporate VM provisioning simulator: agent, mock management portal and tools.')
    .version(agentVersion())
    .showHelpAfterError('(run with --help for usage)')
    // commander's own "error: ..." in the one shape every refusal has: "provisim: CODE: sentence".
    .configureOutput({
      outputError: (text, write) => write(`provisim: USAGE: ${text.replace(/^error: /, '')}`),
    })
    .exitOverride();
  const names =
    commandName !== undefined && Object.hasOwn(COMMANDS, commandName)
      ? [commandName]
      : Object.keys(COMMANDS);
  const registers = await Promise.all(names.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program, setExitCode);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI with the given argv and returns the process exit code. */
export async function runCli(argv: readonly string[]): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT_CODES.OK;
  const program = await buildProgram((code) => (exitCode = code), argv[2]);
  const json = asksForJson(program, argv);
  // Thrown outside the command's promise (a log file that cannot be opened, an event handler):
  // the same sentence and result line, then the process ends, as an uncaught error would.
  let crashed = false;
  const crash = (error: unknown) => {
    // Only the first: loggers that failed to open throw again while the process exits.
    if (crashed) return;
    crashed = true;
    const code = reportFailure(error, json);
    process.stdout.write('', () => process.exit(code));
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) return reportFailure(error, json);
    return error.exitCode === 0 ? EXIT_CODES.OK : reportUsageError(error, json);
  } finally {
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
  }
}
