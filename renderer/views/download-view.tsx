import type {
  ImageRef,
  JobPhase,
  JobProgress,
  ResumableDownload,
} from '../../shared/ipc-contract.ts';
import {
  formatDownloaded,
  formatSpeed,
  formatTimeLeft,
  formatTransferred,
  percentOf,
} from '../model/format.ts';

/** How far a download has come, as the step shows it; `rate` is in bytes per second. */
export type DownloadProgress = Omit<JobProgress, 'fraction'>;

/** The download's progress from the last report, the bytes kept on disk, or the image's size. */
export function downloadProgress(
  job: Extract<JobPhase, { image: ImageRef }>,
  progress: JobProgress | undefined,
  resumable: ResumableDownload | null,
): DownloadProgress {
  const paused = job.phase === 'paused';
  // Paused, the bytes on disk are the truth; the last progress report may be a moment older.
  if (paused && resumable) {
    const total = resumable.total ?? progress?.total ?? job.image.sizeBytes;
    return { transferred: resumable.bytes, total, rate: 0, etaSeconds: null };
  }
  if (progress) return { ...progress, ...(paused ? { rate: 0 } : {}) };
  // Until the first report: what an earlier run held, of the size the policy gave.
  const heldBytes = job.phase === 'downloading' ? job.heldBytes : 0;
  return { transferred: heldBytes, total: job.image.sizeBytes, rate: 0, etaSeconds: null };
}

/** Props of the download's progress, running or paused. */
export interface DownloadViewProps {
  readonly progress: DownloadProgress;
  readonly paused: boolean;
}

/** How far the golden image download has come: bar, share, bytes, speed and time left. */
export function DownloadView({ progress, paused }: DownloadViewProps) {
  const percent = percentOf(progress);
  const downloaded = formatDownloaded(progress);
  const valueText =
    progress.total === null ? downloaded : `${downloaded}, ${formatTransferred(progress)}`;
  return (
    <div className="download">
      <progress
        className="download-progress"
        aria-label="Download progress"
        aria-valuetext={valueText}
        max={100}
        {...(percent === undefined ? {} : { value: percent })}
      />
      <p className="percent">{downloaded}</p>
      <dl className="facts facts-inline">
        <dt>Downloaded</dt>
        <dd>{formatTransferred(progress)}</dd>
        <dt>Speed</dt>
        <dd>{formatSpeed(progress.rate, paused)}</dd>
        <dt>Time left</dt>
        <dd>{formatTimeLeft(progress, paused)}</dd>
      </dl>
    </div>
  );
}
