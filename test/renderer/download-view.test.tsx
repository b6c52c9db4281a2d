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
  const on = { onPause: vi.fn(), onResume: vi.fn(), onCancel: vi.fn() };
  render(<DownloadView imageName="Win 11" progress={shown} paused={paused} {...on} />);
  return on;
}

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
  it('shows the percentage, the bytes, the rate and the time left', () => {
    renderDownload(false);
    expect(screen.getByText('25%')).toBeInTheDocument();
    expect(screen.getByText('2 GB of 8 GB')).toBeInTheDocument();
    expect(screen.getByText('50 MB/s')).toBeInTheDocument();
    expect(screen.getByText('about 2 min')).toBeInTheDocument();
    const bar = screen.getByRole('progressbar', { name: 'Download progress' });
    expect(bar).toHaveAttribute('value', '25');
  });

  it('wires Pause and Cancel while running', async () => {
    const user = userEvent.setup();
    const on = renderDownload(false);
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(on.onPause).toHaveBeenCalledTimes(1);
    expect(on.onCancel).toHaveBeenCalledTimes(1);
    expect(on.onResume).not.toHaveBeenCalled();
  });

  it('offers Resume instead of Pause once paused, and stops showing a rate', async () => {
    const user = userEvent.setup();
    const on = renderDownload(true);
    expect(screen.queryByRole('button', { name: 'Pause' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(on.onResume).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('50 MB/s')).not.toBeInTheDocument();
  });

  it('says that Pause keeps the download and Cancel deletes it, then and after a cancel', () => {
    renderDownload(true);
    expect(
      screen.getByText(/What has arrived is kept: .* Cancel deletes it\./),
    ).toBeInTheDocument();
    render(<NewVmFlow state={anAppState({ job: { phase: 'cancelled' } })} handlers={handlers()} />);
    expect(screen.getByText(/what had arrived was deleted/)).toBeInTheDocument();
    expect(screen.getByText(/use Pause instead/)).toBeInTheDocument();
  });

  it('shows an indeterminate bar when the portal gave no size', () => {
    renderDownload(false, { transferred: 1_000_000, total: null, rate: 0, etaSeconds: null });
    expect(screen.getByText('Size unknown')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).not.toHaveAttribute('value');
    expect(screen.getByText('unknown')).toBeInTheDocument();
  });

  it('keeps the keyboard focus on the button when the flow goes from downloading to paused', async () => {
    const user = userEvent.setup();
    const on = handlers();
    const image = { goldenImageId: 'win11-arm', name: 'Win 11', sizeBytes: 8_000_000_000 };
    const downloading = anAppState({
      job: { phase: 'downloading', image, heldBytes: 0 },
      progress,
    });
    const { rerender } = render(<NewVmFlow state={downloading} handlers={on} />);
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    const paused = { ...downloading, job: { phase: 'paused', image } } as const;
    rerender(<NewVmFlow state={paused} handlers={on} />);
    expect(screen.getByRole('button', { name: 'Resume' })).toHaveFocus();
  });
});
