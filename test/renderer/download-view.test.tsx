import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { JobProgress } from '../../shared/ipc-contract.ts';
import {
  DownloadView,
  downloadProgress,
  type DownloadProgress,
} from '../../renderer/views/download-view.tsx';
import { NewVmFlow, type FlowHandlers } from '../../renderer/views/new-vm-flow.tsx';
import { anAppState } from './fixtures.ts';

const progress: JobProgress = {
  transferred: 2_000_000_000,
  total: 8_000_000_000,
  fraction: 0.25,
  rate: 50_000_000,
  etaSeconds: 120,
};

function handlers(): FlowHandlers {
  return {
    onAnswer: vi.fn(),
    onPause: vi.fn(),
    onResume: vi.fn(),
    onCancel: vi.fn(),
    onCreate: vi.fn(),
    onRestart: vi.fn(),
    onDismiss: vi.fn(),
    onOpenSettings: vi.fn(),
    onCopyDetails: vi.fn(async () => {}),
  };
}

function renderDownload(paused: boolean, shown: DownloadProgress = progress) {
  render(<DownloadView progress={shown} paused={paused} />);
}

const image = { goldenImageId: 'win11-arm', name: 'Win 11', sizeBytes: 8_000_000_000 };

describe('downloadProgress', () => {
  const image = { goldenImageId: 'acme-dev-win11', name: 'ACME Windows 11', sizeBytes: 1000 };
  const report = { transferred: 400, total: null, fraction: null, rate: 50, etaSeconds: null };

  it('starts from the bytes an earlier run held, of the size the policy gave', () => {
    expect(
      downloadProgress({ phase: 'downloading', image, heldBytes: 100 }, undefined, null),
    ).toEqual({ transferred: 100, total: 1000, rate: 0, etaSeconds: null });
  });

  it('shows the last report while downloading, and no rate once paused', () => {
    const downloading = { phase: 'downloading', image, heldBytes: 100 } as const;
    expect(downloadProgress(downloading, report, null)).toMatchObject(report);
    expect(downloadProgress({ phase: 'paused', image }, report, null)).toMatchObject({
      ...report,
      rate: 0,
    });
  });

  it('shows the bytes kept on disk once paused, of the best total known', () => {
    const kept = { sha256: 'b'.repeat(64), image, bytes: 450, total: null };
    const paused = { phase: 'paused', image } as const;
    expect(downloadProgress(paused, report, { ...kept, total: 900 })).toEqual({
      transferred: 450,
      total: 900,
      rate: 0,
      etaSeconds: null,
    });
    expect(downloadProgress(paused, { ...report, total: 800 }, kept)).toMatchObject({ total: 800 });
    expect(downloadProgress(paused, report, kept)).toMatchObject({ transferred: 450, total: 1000 });
  });
});

describe('DownloadView', () => {
  it('says how much is downloaded in words, with the bytes, the rate and the time left', () => {
    renderDownload(false);
    expect(screen.getByText('25% downloaded')).toBeInTheDocument();
    expect(screen.queryByText(/^Done/)).not.toBeInTheDocument();
    expect(screen.getByText('2 GB of 8 GB')).toBeInTheDocument();
    expect(screen.getByText('50 MB/s')).toBeInTheDocument();
    expect(screen.getByText('about 2 min')).toBeInTheDocument();
    const bar = screen.getByRole('progressbar', { name: 'Download progress' });
    expect(bar).toHaveAttribute('value', '25');
    expect(bar).toHaveAttribute('aria-valuetext', '25% downloaded, 2 GB of 8 GB');
  });

  it('says it is starting until the first rate is measured, not "0 B/s"', () => {
    renderDownload(false, { transferred: 0, total: 8_000_000_000, rate: 0, etaSeconds: null });
    expect(screen.getByText('Starting…')).toBeInTheDocument();
    expect(screen.getByText('Calculating time left…')).toBeInTheDocument();
    expect(screen.queryByText('0 B/s')).not.toBeInTheDocument();
    expect(screen.queryByText(/unknown/i)).not.toBeInTheDocument();
  });

  it('stops showing a rate once paused', () => {
    renderDownload(true);
    expect(screen.queryByText('50 MB/s')).not.toBeInTheDocument();
    expect(screen.getAllByText('Paused')).toHaveLength(2);
  });

  it('shows an indeterminate bar when the portal gave no size', () => {
    renderDownload(false, { transferred: 1_000_000, total: null, rate: 5, etaSeconds: null });
    expect(screen.getByText('1 MB downloaded')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).not.toHaveAttribute('value');
    expect(screen.getByText('Unknown: the portal gave no size')).toBeInTheDocument();
  });
});

describe('the download step', () => {
  const downloading = anAppState({ job: { phase: 'downloading', image, heldBytes: 0 }, progress });

  it('wires Pause while running and Resume once paused', async () => {
    const user = userEvent.setup();
    const on = handlers();
    const { rerender } = render(<NewVmFlow state={downloading} handlers={on} />);
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(on.onPause).toHaveBeenCalledTimes(1);
    rerender(
      <NewVmFlow state={{ ...downloading, job: { phase: 'paused', image } }} handlers={on} />,
    );
    expect(screen.queryByRole('button', { name: 'Pause' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(on.onResume).toHaveBeenCalledTimes(1);
  });

  it('says that Pause keeps the download and Cancel deletes it, then and after a cancel', () => {
    const paused = { ...downloading, job: { phase: 'paused', image } } as const;
    const { unmount } = render(<NewVmFlow state={paused} handlers={handlers()} />);
    expect(
      screen.getByText(/What has arrived is kept: .* Cancel deletes it\./),
    ).toBeInTheDocument();
    unmount();
    render(<NewVmFlow state={anAppState({ job: { phase: 'cancelled' } })} handlers={handlers()} />);
    expect(screen.getByText(/what had arrived was deleted/)).toBeInTheDocument();
    expect(screen.getByText(/use Pause instead/)).toBeInTheDocument();
  });

  it('keeps the keyboard focus on the button when the flow goes from downloading to paused', async () => {
    const user = userEvent.setup();
    const on = handlers();
    const { rerender } = render(<NewVmFlow state={downloading} handlers={on} />);
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    const paused = { ...downloading, job: { phase: 'paused', image } } as const;
    rerender(<NewVmFlow state={paused} handlers={on} />);
    expect(screen.getByRole('button', { name: 'Resume' })).toHaveFocus();
  });

  it('keeps the focus on that button through the policy check of a resume, off the headings', async () => {
    const user = userEvent.setup();
    const on = handlers();
    const paused = { ...downloading, job: { phase: 'paused', image } } as const;
    const { rerender } = render(<NewVmFlow state={paused} handlers={on} />);
    const heading = screen.getByRole('heading');
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    const focused: Element[] = [];
    document.addEventListener('focusin', (event) => focused.push(event.target as Element));
    rerender(<NewVmFlow state={{ ...paused, job: { phase: 'checking-policy' } }} handlers={on} />);
    const waiting = screen.getByRole('button', { name: 'Pause' });
    expect(waiting).toHaveFocus();
    expect(waiting).toHaveAttribute('aria-disabled', 'true');
    rerender(<NewVmFlow state={downloading} handlers={on} />);
    expect(screen.getByRole('button', { name: 'Pause' })).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Pause' })).not.toHaveAttribute('aria-disabled');
    expect(focused).toEqual([]);
    expect(heading).not.toHaveFocus();
  });
});
