import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { JobPhase } from '../../shared/ipc-contract.ts';

/** Props of one step of the "New VM" flow. */
export interface FlowStepProps {
  readonly phase: JobPhase['phase'];
  readonly title: string;
  readonly children: ReactNode;
  /** The buttons of the step; the first one is the action most people take. */
  readonly actions?: ReactNode;
  readonly tone?: 'normal' | 'error';
}

/** One step of the "New VM" flow, whose title takes the focus when it appears. */
export function FlowStep({ phase, title, children, actions, tone = 'normal' }: FlowStepProps) {
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Keyboard and screen-reader users land on what changed; the next Tab reaches its actions.
    heading.current?.focus();
  }, []);
  return (
    <section
      className={tone === 'error' ? 'flow-step flow-step-error' : 'flow-step'}
      aria-labelledby={titleId}
      data-phase={phase}
    >
      <h2 id={titleId} ref={heading} tabIndex={-1} className="flow-title">
        {title}
      </h2>
      <div className="flow-body">{children}</div>
      {actions && <div className="actions">{actions}</div>}
    </section>
  );
}

/** Props of a step that only waits for the agent. */
export interface BusyStepProps {
  readonly phase: JobPhase['phase'];
  readonly title: string;
  readonly detail: string;
  readonly onCancel?: () => void;
}

/** A step with an indeterminate progress bar and, when the job allows it, Cancel. */
export function BusyStep({ phase, title, detail, onCancel }: BusyStepProps) {
  return (
    <FlowStep
      phase={phase}
      title={title}
      actions={
        onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )
      }
    >
      <progress aria-label={title} />
      <p>{detail}</p>
    </FlowStep>
  );
}
