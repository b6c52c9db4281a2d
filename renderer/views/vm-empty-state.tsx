import type { Ref } from 'react';
import { assertNever } from '../../shared/assert-never.ts';
import type { JobPhase } from '../../shared/ipc-contract.ts';
import { EMPTY_LIST_ICON } from './vm-os.tsx';

interface EmptyText {
  readonly kind: 'none' | 'waiting';
  readonly title: string;
  readonly detail: string;
}

const CORPORATE_VM = 'Your corporate VM will appear here when it is ready.';

/** What the empty list says while the New VM job is at `job`. */
export function emptyListText(job: JobPhase): EmptyText {
  switch (job.phase) {
    case 'idle':
    case 'registered':
    case 'updated':
    case 'assistant':
    case 'failed':
    case 'cancelled':
      return {
        kind: 'none',
        title: 'No virtual machines yet.',
        detail:
          'Choose New Virtual Machine to get your organisation’s VM or to create one of your own.',
      };
    case 'checking-policy':
      return {
        kind: 'waiting',
        title: 'Your new VM will appear here when it is ready.',
        detail: 'Checking what your organisation has for this Mac…',
      };
    case 'invited':
      return {
        kind: 'waiting',
        title: CORPORATE_VM,
        detail: 'Answer the invitation above to get it.',
      };
    case 'downloading':
      return { kind: 'waiting', title: CORPORATE_VM, detail: 'It is downloading now.' };
    case 'paused':
      return {
        kind: 'waiting',
        title: CORPORATE_VM,
        detail: 'Its download is paused. Resume it above when you are ready.',
      };
    case 'verifying':
    case 'unpacking':
    case 'registering':
      return { kind: 'waiting', title: CORPORATE_VM, detail: 'It is being checked and set up.' };
    case 'creating':
      return {
        kind: 'waiting',
        title: `${job.vmName} will appear here when it is created.`,
        detail: 'The Installation Assistant is setting it up.',
      };
    default:
      return assertNever(job);
  }
}

/** The list when there is no VM: an icon and a line that fit what is going on. */
export function VmEmptyState({
  job,
  ref,
}: {
  readonly job: JobPhase;
  readonly ref?: Ref<HTMLDivElement>;
}) {
  const { kind, title, detail } = emptyListText(job);
  return (
    // Focusable from script only: where the focus goes after the last VM is removed.
    <div ref={ref} className="vm-empty" data-empty={kind} tabIndex={-1}>
      <img className="vm-empty-icon" src={EMPTY_LIST_ICON} alt="" width={56} height={56} />
      <p className="vm-empty-title">{title}</p>
      <p className="vm-empty-detail">{detail}</p>
    </div>
  );
}
