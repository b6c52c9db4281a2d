import { assertNever } from '../../shared/assert-never.ts';
import type { ImageRef, JobPhase } from '../../shared/ipc-contract.ts';

/** The steps of getting the corporate VM, in order. */
export const JOB_STEPS = ['Policy', 'Download', 'Verify', 'Unpack', 'Register'] as const;

/** The phases the job's own view shows, each at one of the steps. */
export type RunningJobPhase =
  { readonly phase: 'checking-policy' } | Extract<JobPhase, { readonly image: ImageRef }>;

/** The index in JOB_STEPS of the step a phase is at. */
export function stepOf(phase: RunningJobPhase['phase']): number {
  switch (phase) {
    case 'checking-policy':
      return 0;
    case 'downloading':
    case 'paused':
      return 1;
    case 'verifying':
      return 2;
    case 'unpacking':
      return 3;
    case 'registering':
      return 4;
    default:
      return assertNever(phase);
  }
}

/** Props of the step indicator. */
export interface JobStepsProps {
  /** The step under way; JOB_STEPS.length when every step is done. */
  readonly current: number;
  readonly paused?: boolean;
}

/** Policy → Download → Verify → Unpack → Register, each done, under way or to do. */
export function JobSteps({ current, paused = false }: JobStepsProps) {
  return (
    <ol className="job-steps" aria-label="Steps">
      {JOB_STEPS.map((label, index) => {
        const status = index < current ? 'done' : index === current ? 'current' : 'todo';
        const said = {
          done: ', done',
          current: paused ? ', paused' : ', under way',
          todo: ', to do',
        }[status];
        return (
          <li
            key={label}
            className={`job-step job-step-${status}`}
            aria-current={status === 'current' ? 'step' : undefined}
          >
            <span className="job-step-mark" aria-hidden="true">
              {status === 'done' ? '✓' : index + 1}
            </span>
            <span className="job-step-label">{label}</span>
            <span className="visually-hidden">{said}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** Props of the verified checksum. */
export interface ChecksumVerifiedProps {
  readonly sha256: string;
}

/** Says the image matched its published SHA-256, and shows the whole checksum. */
export function ChecksumVerified({ sha256 }: ChecksumVerifiedProps) {
  return (
    <div className="checksum-verified" data-verified-sha256={sha256}>
      <p className="checksum-title">
        <span className="checksum-mark" aria-hidden="true">
          ✓
        </span>{' '}
        Checksum verified
      </p>
      <p className="hint">The image matches the SHA-256 checksum your administrator published:</p>
      <code className="sha256">{sha256}</code>
    </div>
  );
}
