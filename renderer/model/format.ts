import prettyBytes from 'pretty-bytes';
import type { BackendChoice } from '../../shared/agent-store-schema.ts';
import type { JobProgress } from '../../shared/ipc-contract.ts';
import type { Arch } from '../../shared/protocol.ts';

type Transfer = Pick<JobProgress, 'transferred' | 'total'>;

const ARCH_LABELS: Readonly<Record<Arch, string>> = {
  arm64: 'Apple silicon',
  x86_64: 'Intel',
};

const BACKEND_LABELS: Readonly<Record<BackendChoice, string>> = {
  auto: 'Automatic (Parallels Desktop when installed)',
  parallels: 'Parallels Desktop',
  simulated: 'Simulated',
};

/** A byte count for people: "1.2 GB". */
export function formatBytes(bytes: number): string {
  return prettyBytes(Math.max(0, bytes));
}

/** A transfer rate: "45.3 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** The whole percentage a progress has reached, or undefined when the total is unknown. */
export function percentOf(progress: Transfer): number | undefined {
  if (progress.total === null || progress.total <= 0) return undefined;
  return Math.min(100, Math.floor((progress.transferred / progress.total) * 100));
}

/** A remaining time, rounded the way a person would say it: "about 3 min". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 5) return 'a few seconds';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h` : `about ${hours} h ${rest} min`;
}

/** How far a download has come in words: "85% downloaded", or the bytes when the size is unknown. */
export function formatDownloaded(progress: Transfer): string {
  const percent = percentOf(progress);
  return `${percent === undefined ? formatBytes(progress.transferred) : `${percent}%`} downloaded`;
}

/** A download's speed; "Starting…" until the first rate is measured. */
export function formatSpeed(rate: number, paused: boolean): string {
  if (paused) return 'Paused';
  return rate > 0 ? formatRate(rate) : 'Starting…';
}

/** A download's time left; "Calculating time left…" until a rate and the size give one. */
export function formatTimeLeft(
  progress: Pick<JobProgress, 'rate' | 'etaSeconds' | 'total'>,
  paused: boolean,
): string {
  if (paused) return 'Paused';
  if (progress.etaSeconds !== null) return formatEta(progress.etaSeconds);
  if (progress.total === null && progress.rate > 0) return 'Unknown: the portal gave no size';
  return 'Calculating time left…';
}

/** "2.1 GB of 8 GB", or the transferred bytes alone when the total is unknown. */
export function formatTransferred(progress: Transfer): string {
  const done = formatBytes(progress.transferred);
  return progress.total === null ? done : `${done} of ${formatBytes(progress.total)}`;
}

/** The user-facing name of a CPU architecture. */
export function formatArch(arch: Arch): string {
  return ARCH_LABELS[arch];
}

/** The user-facing name of a virtualization backend, or of the automatic choice. */
export function formatBackend(backend: BackendChoice): string {
  return BACKEND_LABELS[backend];
}

/** A local date and time for an ISO timestamp; "Never" when there is none. */
export function formatDateTime(iso: string | null): string {
  if (iso === null) return 'Never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'Unknown';
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(
    date,
  );
}
