import type {
  ImageRef,
  JobPhase,
  JobProgress,
  ResumableDownload,
} from '../../shared/ipc-contract.ts';
import { FlowStep } from '../components/flow-step.tsx';
import { formatEta, formatRate, formatTransferred, percentOf } from '../model/format.ts';

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

/** Props of the download step, running or paused. */
export interface DownloadViewProps {
  readonly imageName: string;
  readonly progress: DownloadProgress;
  readonly paused: boolean;
  readonly onPause: () => void;
  readonly onResume: () => void;
  readonly onCancel: () => void;
}

/** Shows how far the golden image download has come, with pause, resume and cancel. */
export function DownloadView(props: DownloadViewProps) {
  const { imageName, progress, paused, onPause, onResume, onCancel } = props;
  const percent = percentOf(progress);
  const percentText = percent === undefined ? 'Size unknown' : `${percent}%`;
  return (
    <FlowStep
      phase={paused ? 'paused' : 'downloading'}
      title={paused ? `Download of ${imageName} paused` : `Downloading ${imageName}`}
      actions={
        <>
          {/* One button that changes role, so the keyboard focus stays on it across pause. */}
          <button type="button" className="primary" onClick={paused ? onResume : onPause}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </>
      }
    >
      <progress
        className="download-progress"
        aria-label="Download progress"
        aria-valuetext={`${percentText}, ${formatTransferred(progress)}`}
        max={100}
        {...(percent === undefined ? {} : { value: percent })}
      />
      <dl className="facts facts-inline">
        <dt>Done</dt>
        <dd className="percent">{percentText}</dd>
        <dt>Downloaded</dt>
        <dd>{formatTransferred(progress)}</dd>
        <dt>Speed</dt>
        <dd>{paused ? 'Paused' : formatRate(progress.rate)}</dd>
        <dt>Time left</dt>
        <dd>{paused ? 'Paused' : formatEta(progress.etaSeconds)}</dd>
      </dl>
      <p className="hint">
        {paused
          ? 'What has arrived is kept: Resume continues from the same byte, Cancel deletes it.'
          : 'The image is checked as it arrives. Pause keeps what has arrived; Cancel deletes it.'}
      </p>
    </FlowStep>
  );
}
