import { Notification, type BrowserWindow } from 'electron';
import type { JobPhase } from '../../shared/ipc-contract.ts';
import type { ServicePort } from './ipc.ts';
import { focusWindow } from './window.ts';

/** A notification's words. */
export interface NoticeText {
  readonly title: string;
  readonly body: string;
}

/** The notification a job phase deserves: a registered VM or a failed job; others none. */
export function noticeFor(job: JobPhase): NoticeText | undefined {
  if (job.phase === 'registered') {
    return {
      title: job.alreadyRegistered ? 'VM already registered' : 'VM registered',
      body: `${job.vm.name} is ready in the Control Center.`,
    };
  }
  if (job.phase === 'failed') return { title: 'New VM failed', body: job.error.message };
  return undefined;
}

// The same phase is pushed again with every other state change; a phase's key says when it is new.
function phaseKey(job: JobPhase): string {
  if (job.phase === 'registered') return `registered:${job.vm.uuid}`;
  if (job.phase === 'failed') return `failed:${job.error.code}:${job.error.message}`;
  return job.phase;
}

/** Dock/taskbar progress from job:progress, and notifications when a VM is registered or a job fails. */
export function setupProgress(
  service: Pick<ServicePort, 'subscribe'>,
  window: () => BrowserWindow | undefined,
): () => void {
  let fraction = 0;
  let lastKey = 'idle';
  const setBar = (value: number, mode: 'normal' | 'indeterminate' | 'paused' | 'none') => {
    const target = window();
    if (target && !target.isDestroyed()) target.setProgressBar(value, { mode });
  };
  const offProgress = service.subscribe('job:progress', (progress) => {
    if (progress.fraction === null) return setBar(2, 'indeterminate');
    fraction = Math.min(1, Math.max(0, progress.fraction));
    setBar(fraction, 'normal');
  });
  const offState = service.subscribe('state:changed', ({ job }) => {
    const key = phaseKey(job);
    if (key === lastKey) return;
    lastKey = key;
    if (job.phase === 'downloading') setBar(fraction, 'normal');
    else if (job.phase === 'paused') setBar(fraction, 'paused');
    // A value above 1 is macOS's indeterminate bar; Windows reads the mode.
    else if (['verifying', 'unpacking', 'registering'].includes(job.phase)) {
      setBar(2, 'indeterminate');
    } else {
      fraction = 0;
      setBar(-1, 'none');
    }
    const notice = noticeFor(job);
    if (notice && Notification.isSupported()) {
      const notification = new Notification(notice);
      notification.on('click', () => focusWindow(window()));
      notification.show();
    }
  });
  return () => {
    offProgress();
    offState();
  };
}
