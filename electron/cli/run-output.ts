import prettyBytes from 'pretty-bytes';
import { assertNever } from '../../shared/assert-never.ts';
import type { AgentEvent } from '../../shared/protocol.ts';
import type { CreateResult, RunResult } from '../../shared/run-result.ts';
import { terminalLine, terminalText } from '../../shared/terminal-text.ts';
import type { DownloadProgress } from '../agent/download/image-download.ts';
import { writeJsonLine } from './json-output.ts';
import { createProgressView } from './progress-view.ts';

/** Where a run's events, progress and result are shown. */
export interface RunOutput {
  readonly event: (event: AgentEvent) => void;
  readonly progress: (progress: DownloadProgress) => void;
  /** Hides the progress bar while the terminal asks a question; the next progress redraws it. */
  readonly pause: () => void;
  readonly result: (result: RunResult) => void;
}

/** NDJSON on stdout with --json; otherwise sentences, a progress bar on a terminal and a summary. */
export function createRunOutput(options: { json: boolean; progressLines?: boolean }): RunOutput {
  if (options.json) {
    // Every chunk's progress, for the scenario runner, which stops an agent at a byte offset.
    const progress = options.progressLines
      ? ({ transferred, total, attemptBytes }: DownloadProgress) =>
          writeJsonLine({ type: 'progress', transferred, total, attemptBytes })
      : () => {};
    return { event: writeJsonLine, progress, pause: () => {}, result: writeJsonLine };
  }
  const view = createProgressView(process.stderr);
  return {
    event: (event) => {
      const text = describeEvent(event);
      if (text !== undefined) view.log(text);
    },
    progress: (progress) => view.update(progress),
    pause: () => view.stop(),
    result: (result) => {
      view.stop();
      const summary = terminalText(describeResult(result));
      (result.outcome === 'failed' ? process.stderr : process.stdout).write(`${summary}\n`);
    },
  };
}

/** One line a person reads for an agent event, or undefined for events shown otherwise. */
export function describeEvent(event: AgentEvent): string | undefined {
  const size = (n: number | undefined) => (n === undefined ? 'unknown size' : prettyBytes(n));
  switch (event.type) {
    case 'checked-in':
      return `Checked in: policy ${line(event.policyId)} revision ${event.policyRevision}`;
    case 'invited':
      return `Invited to download "${line(event.name)}"`;
    case 'accepted':
      return 'Invitation accepted';
    case 'declined':
      return 'Invitation declined';
    case 'download-started':
      return event.offset > 0
        ? `Continuing the download at ${size(event.offset)} of ${size(event.total)}`
        : `Downloading ${size(event.total)}`;
    case 'download-resumed':
      // The download-started line that follows says where it continues: one line, not two.
      return undefined;
    case 'download-restarted':
      return `The server could not resume (${line(event.reason)}); starting over`;
    case 'download-redirected':
      return `Redirected to another host: ${hostOf(event.from)} → ${hostOf(event.to)}`;
    case 'download-retrying': {
      const { retryInMs } = event;
      const wait = retryInMs === undefined ? '' : `; retrying in ${Math.ceil(retryInMs / 1000)} s`;
      return `Attempt ${event.attempt} failed: ${line(event.error.message)}${wait}`;
    }
    case 'download-progress':
      return undefined;
    case 'download-finished':
      return `Downloaded ${size(event.bytes)}`;
    case 'verified':
      return 'SHA-256 checksum verified';
    case 'unpacked':
      return `Unpacked ${event.entries} entries (${size(event.unpackedBytes)})`;
    case 'registered':
      return `Registered "${line(event.name)}"`;
    case 'vm-created':
      return `Created "${line(event.name)}"`;
    case 'update-offered':
      return `An update of "${line(event.name)}" is available (now ${event.fromSha256.slice(0, 12)}…, new ${event.toSha256.slice(0, 12)}…)`;
    case 'update-accepted':
      return event.choice === 'replace'
        ? 'Update accepted: the new version replaces the previous VM once it is registered'
        : 'Update accepted: the new version is kept beside the previous VM';
    case 'update-declined':
      return 'Update declined: the previous version stays';
    case 'updated':
      return event.previousRemoved
        ? `Updated: "${line(event.name)}" replaced the previous version`
        : `Updated: "${line(event.name)}" is registered; both VMs are kept: ${line(event.keptReason ?? 'your organisation prevents removing corporate VMs')}`;
    case 'download-failed':
    case 'verify-failed':
    case 'install-failed':
      return undefined;
    default:
      return assertNever(event);
  }
}

/** The closing sentence of a run. */
export function describeResult(result: RunResult): string {
  switch (result.outcome) {
    case 'registered':
      return `VM registered: ${line(result.vm.name)} (${line(result.vm.arch)}) at ${line(result.vm.path)}`;
    case 'updated':
      return result.previousRemoved
        ? `VM updated: ${line(result.vm.name)} at ${line(result.vm.path)} replaced ${line(result.previous.name)}`
        : `VM updated: ${line(result.vm.name)} at ${line(result.vm.path)}; ${line(result.previous.name)} is kept too: ${line(result.keptReason ?? 'your organisation prevents removing corporate VMs')}`;
    case 'already-registered':
      return `Already registered: ${line(result.vm.name)} at ${line(result.vm.path)} (use --force to download again)`;
    case 'declined':
      return 'Declined. Create a VM from scratch with: provisim create --name <name> --os <os>';
    case 'no-image':
      return 'Your organisation offers no corporate VM for this Mac.';
    case 'failed':
      // Ctrl-C at the terminal is the user's choice, not a failure, and keeps what arrived.
      return result.error.code === 'CANCELLED'
        ? 'Stopped. Anything downloaded so far is kept: run again to continue.'
        : `Failed (${result.error.code}): ${result.error.message}`;
  }
}

/** The closing sentence of an Installation Assistant run. */
export function describeCreateResult(result: CreateResult): string {
  const text =
    result.outcome === 'created'
      ? `VM created: ${line(result.vm.name)} at ${line(result.vm.path)}`
      : `Failed (${result.error.code}): ${result.error.message}`;
  return terminalText(text);
}

// Names, paths and ids come from the portal or the archive: shown on one line, controls escaped.
function line(value: unknown): string {
  return terminalLine(String(value));
}

function hostOf(url: unknown): string {
  try {
    return line(new URL(String(url)).host);
  } catch {
    return line(url);
  }
}
