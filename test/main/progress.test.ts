import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppState, JobPhase, JobProgress } from '../../shared/ipc-contract.ts';
import { PushBus } from '../../electron/app/push-bus.ts';
import { setupProgress } from '../../electron/main/progress.ts';
import { BrowserWindow, Notification, resetElectronFake } from './electron-fake.ts';

vi.mock('electron', () => import('./electron-fake.ts'));

let bus: PushBus;
let window: BrowserWindow;

const vm = { uuid: 'vm-1', name: 'Corporate Windows 11' };
const registered = { phase: 'registered', vm, alreadyRegistered: false } as unknown as JobPhase;
const failed: JobPhase = {
  phase: 'failed',
  error: { code: 'CHECKSUM_MISMATCH', message: 'The image does not match.', retryable: false },
};

function phase(job: JobPhase): void {
  bus.emit('state:changed', { job } as unknown as AppState);
}

function progress(fraction: number | null): void {
  const update: JobProgress = { transferred: 1, total: null, fraction, rate: 1, etaSeconds: null };
  bus.emit('job:progress', update);
}

const image = { goldenImageId: 'g1', name: 'Windows 11', sizeBytes: null };

beforeEach(() => {
  resetElectronFake();
  Notification.isSupported.mockReturnValue(true);
  bus = new PushBus();
  window = new BrowserWindow({});
  setupProgress({ subscribe: bus.subscribe.bind(bus) }, () => window as never);
});

describe('dock/taskbar progress', () => {
  it('follows job:progress and clears the bar when the job is done', () => {
    phase({ phase: 'downloading', image, heldBytes: 0 });
    progress(0.25);
    expect(window.setProgressBar).toHaveBeenLastCalledWith(0.25, { mode: 'normal' });
    progress(null);
    expect(window.setProgressBar).toHaveBeenLastCalledWith(2, { mode: 'indeterminate' });
    progress(0.5);
    phase({ phase: 'paused', image });
    expect(window.setProgressBar).toHaveBeenLastCalledWith(0.5, { mode: 'paused' });
    phase({ phase: 'verifying', image });
    expect(window.setProgressBar).toHaveBeenLastCalledWith(2, { mode: 'indeterminate' });
    phase(registered);
    expect(window.setProgressBar).toHaveBeenLastCalledWith(-1, { mode: 'none' });
  });

  it('leaves a closed window alone', () => {
    window.destroyed = true;
    progress(0.3);
    expect(window.setProgressBar).not.toHaveBeenCalled();
  });
});

describe('notifications', () => {
  it('tells once that a VM was registered, and brings the window forward on click', () => {
    phase({
      phase: 'unpacking',
      image,
      verifiedSha256: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    });
    phase(registered);
    phase(registered);
    expect(Notification.instances).toHaveLength(1);
    const [notice] = Notification.instances;
    expect(notice!.options).toEqual({
      title: 'VM registered',
      body: 'Corporate Windows 11 is ready in the Control Center.',
    });
    expect(notice!.show).toHaveBeenCalled();
    notice!.emit('click');
    expect(window.focus).toHaveBeenCalled();
  });

  it('tells that a job failed with its sentence', () => {
    phase({ phase: 'checking-policy' });
    phase(failed);
    expect(Notification.instances.map((n) => n.options)).toEqual([
      { title: 'New VM failed', body: 'The image does not match.' },
    ]);
  });

  it('stays quiet for other phases and where notifications are not supported', () => {
    phase({ phase: 'checking-policy' });
    phase({ phase: 'cancelled' });
    phase({ phase: 'assistant', reason: 'declined' });
    Notification.isSupported.mockReturnValue(false);
    phase(failed);
    expect(Notification.instances).toHaveLength(0);
  });
});
