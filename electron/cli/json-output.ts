import type { Command, CommanderError } from 'commander';
import type { ExitCode } from '../../shared/codes.ts';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import { exitCodeFor, failedResult } from '../../shared/run-result.ts';
import { terminalJson, terminalText } from '../../shared/terminal-text.ts';
import { HOME_FOLDER_ADVICE, folderFailure, isFolderProblem } from '../agent/writable-folder.ts';

// Scripts read the last NDJSON line: whatever fails, exactly one result line ends the output.
let resultWritten = false;

/** Writes one NDJSON line on stdout, with C1, bidi and line separator characters escaped. */
export function writeJsonLine(value: unknown): void {
  const type = (value as { type?: unknown } | null)?.type;
  if (type === 'result') resultWritten = true;
  process.stdout.write(`${terminalJson(value)}\n`);
}

/** Whether argv runs a command that has `--json` and asks for it (before any `--`). */
export function asksForJson(program: Command, argv: readonly string[]): boolean {
  const command = program.commands.find((c) => c.name() === argv[2]);
  if (!command?.options.some((option) => option.long === '--json')) return false;
  const end = argv.indexOf('--');
  return argv.slice(3, end === -1 ? undefined : end).includes('--json');
}

/** Ends a command commander refused (unknown option, missing value): its result line, exit 2. */
export function reportUsageError(error: CommanderError, json: boolean): ExitCode {
  // commander has printed its own message on stderr; the result line carries it too.
  const what = error.message.replace(/^error: /, '');
  const usage = new ProvisimError('USAGE', {
    message: `The command was not used correctly (${what}). Run it with --help to see its options.`,
    cause: error,
  });
  if (json && !resultWritten) writeJsonLine(failedResult(usage));
  return exitCodeFor(failedResult(usage));
}

/**
 * Ends a command that failed: its sentence on stderr and, with --json, the failed result line
 * unless the command wrote its own; returns the exit code that matches that result.
 */
export function reportFailure(error: unknown, json: boolean): ExitCode {
  const known = asKnownError(error);
  const text = isProvisimError(known)
    ? `${known.code}: ${known.message}`
    : error instanceof Error
      ? (error.stack ?? error.message)
      : String(error);
  // Messages quote the portal, URLs and file contents: no control character reaches the terminal.
  process.stderr.write(`provisim: ${terminalText(text)}\n`);
  const result = failedResult(known);
  if (json && !resultWritten) writeJsonLine(result);
  return exitCodeFor(result);
}

function asKnownError(error: unknown): unknown {
  // A file or folder that cannot be written, met outside a job's own checks (a log file, say).
  const path = (error as NodeJS.ErrnoException | undefined)?.path;
  if (!isProvisimError(error) && isFolderProblem(error) && path !== undefined) {
    return folderFailure(error, path, 'path', HOME_FOLDER_ADVICE);
  }
  return error;
}
