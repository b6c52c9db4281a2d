import { Command, CommanderError } from 'commander';
import { EXIT_CODES, type ExitCode } from '../../shared/codes.ts';
import { isProvisimError } from '../../shared/provisim-error.ts';
import { registerAgentCommand } from './commands/agent-command.ts';
import { registerCreateCommand } from './commands/create-command.ts';
import { registerDemoCommand } from './commands/demo-command.ts';
import { registerMakeImageCommand } from './commands/make-image-command.ts';
import { registerPackCommand } from './commands/pack-command.ts';
import { registerPortalCommand } from './commands/portal-command.ts';
import { registerRunCommand } from './commands/run-command.ts';
import { registerScenarioCommand } from './commands/scenario-command.ts';
import { registerVmsCommand } from './commands/vms-command.ts';
import { agentVersion } from '../agent/identity.ts';

/** Sets the exit code a command action ends with. */
export type SetExitCode = (code: ExitCode) => void;

/** Builds the `provisim` command tree; actions report their exit code through `setExitCode`. */
export function buildProgram(setExitCode: SetExitCode): Command {
  const program = new Command('provisim')
    .description('Corporate VM provisioning simulator: agent, mock management portal and tools.')
    .version(agentVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of [
    registerPortalCommand,
    registerRunCommand,
    registerAgentCommand,
    registerDemoCommand,
    registerVmsCommand,
    registerCreateCommand,
    registerPackCommand,
    registerMakeImageCommand,
    registerScenarioCommand,
  ]) {
    register(program, setExitCode);
  }
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI with the given argv and returns the process exit code. */
export async function runCli(argv: readonly string[]): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT_CODES.OK;
  const program = buildProgram((code) => (exitCode = code));
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_CODES.OK : EXIT_CODES.USAGE;
    }
    if (isProvisimError(error)) {
      process.stderr.write(`provisim: ${error.code}: ${error.message}\n`);
      return error.code === 'USAGE' ? EXIT_CODES.USAGE : EXIT_CODES.FAILED;
    }
    process.stderr.write(`provisim: ${error instanceof Error ? error.stack : String(error)}\n`);
    return EXIT_CODES.FAILED;
  }
}
