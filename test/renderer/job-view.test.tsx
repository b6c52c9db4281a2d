import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { JobPhase } from '../../shared/ipc-contract.ts';
import { NewVmFlow, type FlowHandlers } from '../../renderer/views/new-vm-flow.tsx';
import { anAppState, aVm } from './fixtures.ts';

const image = { goldenImageId: 'win11-arm', name: 'Win 11', sizeBytes: 8_000_000_000 };
const sha256 = '0123456789abcdef'.repeat(4);
const progress = {
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
    onCreate: vi.fn(async () => ({ ok: true, value: null }) as const),
    onRestart: vi.fn(),
    onDismiss: vi.fn(),
    onOpenSettings: vi.fn(),
    onCopyDetails: vi.fn(async () => {}),
  };
}

function renderJob(job: JobPhase, on = handlers()) {
  const view = render(<NewVmFlow state={anAppState({ job, progress })} handlers={on} />);
  return { on, ...view };
}

// Each step of the indicator as a screen reader reads it, with aria-current where it is.
function steps(): string[] {
  const list = screen.getByRole('list', { name: 'Steps' });
  return within(list)
    .getAllByRole('listitem')
    .map((item) => `${item.textContent}${item.getAttribute('aria-current') ? ' [current]' : ''}`);
}

describe('the job step indicator', () => {
  it('marks the steps done, under way and to do while the image is verified', () => {
    renderJob({ phase: 'verifying', image });
    expect(screen.getByRole('heading', { name: 'Verifying Win 11' })).toBeInTheDocument();
    expect(steps()).toEqual([
      '✓Policy, done',
      '✓Download, done',
      '3Verify, under way [current]',
      '4Unpack, to do',
      '5Register, to do',
    ]);
  });

  it('says when the download is paused', () => {
    renderJob({ phase: 'paused', image });
    expect(steps()[1]).toBe('2Download, paused [current]');
  });

  it('shows the whole verified checksum while unpacking, and Verify as done', () => {
    renderJob({ phase: 'unpacking', image, verifiedSha256: sha256 });
    expect(screen.getByText('Checksum verified')).toBeInTheDocument();
    expect(screen.getByText(sha256)).toHaveClass('sha256');
    expect(steps().slice(2, 4)).toEqual(['✓Verify, done', '4Unpack, under way [current]']);
  });

  it('keeps Unpack visible as done while registering', () => {
    renderJob({ phase: 'registering', image, verifiedSha256: sha256 });
    expect(steps().slice(3)).toEqual(['✓Unpack, done', '5Register, under way [current]']);
    expect(screen.getByText(sha256)).toBeInTheDocument();
  });

  it('ends with every step done and the checksum beside the registered VM', () => {
    const vm = aVm({ uuid: 'vm-new' });
    const state = anAppState({
      vms: [vm],
      job: { phase: 'registered', vm, alreadyRegistered: false },
    });
    render(<NewVmFlow state={state} handlers={handlers()} />);
    expect(steps().every((step) => step.endsWith(', done'))).toBe(true);
    expect(screen.getByText('a'.repeat(64))).toBeInTheDocument();
    expect(screen.getAllByRole('heading')).toHaveLength(1);
  });
});

describe('the job controls', () => {
  it('keeps Pause and Cancel in place but inactive during the last steps, saying why', async () => {
    const user = userEvent.setup();
    const { on } = renderJob({ phase: 'unpacking', image, verifiedSha256: sha256 });
    const pause = screen.getByRole('button', { name: 'Pause' });
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    for (const button of [pause, cancel]) {
      expect(button).toHaveAttribute('aria-disabled', 'true');
      expect(button).toHaveAccessibleDescription(/cannot be paused or cancelled/);
      await user.click(button);
    }
    expect(on.onPause).not.toHaveBeenCalled();
    expect(on.onCancel).not.toHaveBeenCalled();
  });

  it('asks before Cancel deletes the downloaded part, and Keep Downloading changes nothing', async () => {
    const user = userEvent.setup();
    const { on } = renderJob({ phase: 'downloading', image, heldBytes: 0 });
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel the download of Win 11?' });
    expect(dialog).toHaveAccessibleDescription(/2 GB downloaded so far will be deleted/);
    expect(within(dialog).getByRole('button', { name: 'Keep Downloading' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Keep Downloading' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(on.onCancel).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Cancel Download' }));
    expect(on.onCancel).toHaveBeenCalledTimes(1);
  });

  it('asks before cancelling a paused download too, which Pause would have kept', async () => {
    const user = userEvent.setup();
    const { on } = renderJob({ phase: 'paused', image });
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('To finish it later, leave the download paused.');
    await user.keyboard('{Escape}');
    expect(on.onCancel).not.toHaveBeenCalled();
  });

  it('cancels a first policy check at once: nothing is downloaded yet', async () => {
    const user = userEvent.setup();
    const { on } = renderJob({ phase: 'checking-policy' });
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(on.onCancel).toHaveBeenCalledTimes(1);
  });
});

describe('the outcome of the job', () => {
  it('offers the Installation Assistant when the corporate VM was already on this Mac', async () => {
    const user = userEvent.setup();
    const vm = aVm();
    const on = handlers();
    const state = anAppState({
      vms: [vm],
      job: { phase: 'registered', vm, alreadyRegistered: true },
    });
    render(<NewVmFlow state={state} handlers={on} />);
    expect(screen.getByText(/already on this Mac/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Open Installation Assistant' }));
    expect(on.onAnswer).toHaveBeenCalledWith('decline');
  });

  it('says nothing more of a registered VM once it was removed from the list', () => {
    const vm = aVm({ uuid: 'vm-gone' });
    const state = anAppState({
      vms: [],
      job: { phase: 'registered', vm, alreadyRegistered: false },
    });
    const { container } = render(<NewVmFlow state={state} handlers={handlers()} />);
    expect(container).toBeEmptyDOMElement();
    expect(screen.queryByText(/selected in the list below/)).not.toBeInTheDocument();
  });
});

describe('closing the flow', () => {
  it('hands the focus to the section when Done closes the flow, not to nothing', async () => {
    const user = userEvent.setup();
    const vm = aVm({ uuid: 'vm-new' });
    const registered = anAppState({
      vms: [vm],
      job: { phase: 'registered', vm, alreadyRegistered: false },
    });
    const on = handlers();
    const { rerender } = render(
      <main tabIndex={-1}>
        <NewVmFlow state={registered} handlers={on} />
      </main>,
    );
    await user.click(screen.getByRole('button', { name: 'Done' }));
    rerender(
      <main tabIndex={-1}>
        <NewVmFlow state={{ ...registered, job: { phase: 'idle' } }} handlers={on} />
      </main>,
    );
    expect(screen.getByRole('main')).toHaveFocus();
  });
});
