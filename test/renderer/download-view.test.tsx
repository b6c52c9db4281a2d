import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { JobPhase, Progress } from '../../renderer/model/view-types.ts';
import { DownloadView } from '../../renderer/views/download-view.tsx';
import { NewVmFlow, type FlowHandlers } from '../../renderer/views/new-vm-flow.tsx';

const progress: Progress = {
  transferred: 2_000_000_000,
  total: 8_000_000_000,
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

function renderDownload(paused: boolean, shown: Progress = progress) {
  const on = { onPause: vi.fn(), onResume: vi.fn(), onCancel: vi.fn() };
  render(<DownloadView imageName="Win 11" progress={shown} paused={paused} {...on} />);
  return on;
}

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
    render(<NewVmFlow phase={{ kind: 'cancelled' }} handlers={handlers()} />);
    expect(screen.getByText(/what had arrived was deleted/)).toBeInTheDocument();
    expect(screen.getByText(/use Pause instead/)).toBeInTheDocument();
  });

  it('shows an indeterminate bar when the portal gave no size', () => {
    renderDownload(false, { transferred: 1_000_000, rate: 0 });
    expect(screen.getByText('Size unknown')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).not.toHaveAttribute('value');
    expect(screen.getByText('unknown')).toBeInTheDocument();
  });

  it('keeps the keyboard focus on the button when the flow goes from downloading to paused', async () => {
    const user = userEvent.setup();
    const on = handlers();
    const downloading: JobPhase = { kind: 'downloading', imageName: 'Win 11', progress };
    const { rerender } = render(<NewVmFlow phase={downloading} handlers={on} />);
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    rerender(<NewVmFlow phase={{ ...downloading, kind: 'paused' }} handlers={on} />);
    expect(screen.getByRole('button', { name: 'Resume' })).toHaveFocus();
  });
});
