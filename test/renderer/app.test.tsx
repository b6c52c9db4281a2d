import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { App } from '../../renderer/app.tsx';
import { anAppState, anInvitation, aVm, fakeBackend } from './fixtures.ts';

afterEach(() => {
  delete document.documentElement.dataset.theme;
  localStorage.clear();
});

describe('App', () => {
  it('lets Tab reach the skip link, then the primary action, and Enter starts a new VM', async () => {
    const user = userEvent.setup();
    const { backend } = fakeBackend();
    render(<App backend={backend} />);
    await user.tab();
    expect(screen.getByRole('link', { name: 'Skip to main content' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'New Virtual Machine' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(backend.startNewVm).toHaveBeenCalledTimes(1);
  });

  it('skips to the section itself with the skip link', async () => {
    const user = userEvent.setup();
    const { backend } = fakeBackend();
    render(<App backend={backend} />);
    await user.tab();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('main')).toHaveFocus();
    expect(window.location.hash).toBe('');
  });

  it('shows the demo portal note on one line, and keeps it hidden for the session once hidden', async () => {
    const user = userEvent.setup();
    const state = anAppState({ agent: { ...anAppState().agent, embeddedPortal: true } });
    const { backend } = fakeBackend(state);
    const { unmount } = render(<App backend={backend} />);
    const note = screen.getByRole('region', { name: 'Portal' });
    expect(note).toHaveClass('banner-compact');
    expect(note).toHaveTextContent('Connected to the demo portal built into Provisim');
    await user.click(screen.getByRole('button', { name: 'Hide this note' }));
    expect(screen.queryByRole('region', { name: 'Portal' })).not.toBeInTheDocument();
    unmount();
    render(<App backend={backend} />);
    expect(screen.queryByRole('region', { name: 'Portal' })).not.toBeInTheDocument();
    sessionStorage.clear();
  });

  it('drops the "is ready" step once its VM is removed', () => {
    const vm = aVm({ uuid: 'vm-new' });
    const fake = fakeBackend(
      anAppState({ vms: [vm], job: { phase: 'registered', vm, alreadyRegistered: false } }),
    );
    render(<App backend={fake.backend} />);
    expect(screen.getByText(/selected in the list below/)).toBeInTheDocument();
    act(() =>
      fake.emit(
        anAppState({ vms: [], job: { phase: 'registered', vm, alreadyRegistered: false } }),
      ),
    );
    expect(screen.queryByText(/is ready|selected in the list below/)).not.toBeInTheDocument();
  });

  it('switches the data-theme attribute with the appearance toggle and remembers it', async () => {
    const user = userEvent.setup();
    const { backend } = fakeBackend();
    const root = document.documentElement;
    const { unmount } = render(<App backend={backend} />);
    expect(root).not.toHaveAttribute('data-theme');
    await user.click(screen.getByRole('button', { name: 'Dark' }));
    expect(root).toHaveAttribute('data-theme', 'dark');
    expect(screen.getByRole('button', { name: 'Dark' })).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByRole('button', { name: 'Light' }));
    expect(root).toHaveAttribute('data-theme', 'light');
    unmount();
    render(<App backend={backend} />);
    expect(screen.getByRole('button', { name: 'Light' })).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByRole('button', { name: 'System' }));
    expect(root).not.toHaveAttribute('data-theme');
  });

  it('unsubscribes from the backend when it unmounts', () => {
    const fake = fakeBackend();
    const { unmount } = render(<App backend={fake.backend} />);
    expect(fake.isSubscribed()).toBe(true);
    unmount();
    expect(fake.isSubscribed()).toBe(false);
  });

  it('follows the job from the invitation to the registered VM, selected in the list', async () => {
    const user = userEvent.setup();
    const fake = fakeBackend(anAppState({ vms: [] }));
    render(<App backend={fake.backend} />);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    act(() =>
      fake.emit(anAppState({ vms: [], job: { phase: 'invited', invitation: anInvitation() } })),
    );
    await user.click(screen.getByRole('button', { name: 'Virtual Machines' }));
    await user.click(screen.getByRole('button', { name: 'Download' }));
    expect(fake.backend.answerInvitation).toHaveBeenCalledWith('accept');
    const vm = aVm({ uuid: 'vm-new' });
    act(() =>
      fake.emit(
        anAppState({ vms: [vm], job: { phase: 'registered', vm, alreadyRegistered: false } }),
      ),
    );
    expect(screen.getByRole('heading', { name: `${vm.name} is ready` })).toHaveFocus();
    expect(screen.getByRole('button', { name: vm.name })).toHaveAttribute('aria-pressed', 'true');
  });

  it('keeps New Virtual Machine disabled while a download runs', () => {
    const image = { goldenImageId: 'win11-arm', name: 'Win 11', sizeBytes: 10 };
    const progress = { transferred: 1, total: 10, fraction: 0.1, rate: 1, etaSeconds: 9 };
    const { backend } = fakeBackend(
      anAppState({ job: { phase: 'downloading', image, heldBytes: 0 }, progress }),
    );
    render(<App backend={backend} />);
    expect(screen.getByRole('button', { name: 'New Virtual Machine' })).toBeDisabled();
  });

  it('offers to resume an interrupted download found at start-up', async () => {
    const user = userEvent.setup();
    const image = { goldenImageId: 'win11-arm', name: 'Win 11', sizeBytes: 8_000_000_000 };
    const resumable = { sha256: 'b'.repeat(64), image, bytes: 3_000_000_000, total: 8_000_000_000 };
    const { backend } = fakeBackend(anAppState({ resumable }));
    render(<App backend={backend} />);
    expect(screen.getByText(/stopped at 3 GB of 8 GB/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resume download' }));
    expect(backend.resume).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('button', { name: 'Not now' }));
    expect(screen.queryByText(/stopped at/)).not.toBeInTheDocument();
  });

  it('names the corporate VM when the kept download does not say which image it is', () => {
    const resumable = { sha256: 'b'.repeat(64), image: null, bytes: 10, total: null };
    const { backend } = fakeBackend(anAppState({ resumable }));
    render(<App backend={backend} />);
    expect(screen.getByText(/download of the corporate VM stopped at 10 B\./)).toBeInTheDocument();
  });

  it('says where the result of a VM action went', async () => {
    const user = userEvent.setup();
    const { backend } = fakeBackend();
    backend.vmAction.mockResolvedValueOnce({ ok: true, value: 'Its folder: Parallels/Win.pvm' });
    render(<App backend={backend} />);
    await user.click(screen.getByRole('button', { name: /^Show in folder/ }));
    expect(await screen.findByText('Its folder: Parallels/Win.pvm')).toBeInTheDocument();
    expect(backend.vmAction).toHaveBeenCalledWith('vm-1', 'show-in-folder');
  });

  it("shows the sentence for a refused VM action's error code", async () => {
    const user = userEvent.setup();
    const { backend } = fakeBackend();
    backend.vmAction.mockResolvedValueOnce({
      ok: false,
      error: { code: 'REGISTRATION_FAILED', message: 'EACCES', retryable: true },
    });
    render(<App backend={backend} />);
    await user.click(screen.getByRole('button', { name: /^Start/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent(ERROR_SENTENCES.REGISTRATION_FAILED);
  });

  it('shows the sentence when the agent refuses a job command', async () => {
    const user = userEvent.setup();
    const { backend } = fakeBackend();
    backend.startNewVm.mockResolvedValueOnce({
      ok: false,
      error: { code: 'AGENT_BUSY', message: 'A job is already running.', retryable: true },
    });
    render(<App backend={backend} />);
    await user.click(screen.getByRole('button', { name: 'New Virtual Machine' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(ERROR_SENTENCES.AGENT_BUSY);
  });

  it('opens Settings from a failed job whose cure is a setting', async () => {
    const user = userEvent.setup();
    const { backend } = fakeBackend(
      anAppState({
        job: {
          phase: 'failed',
          error: { code: 'LICENSE_EXPIRED', message: '403', retryable: false },
        },
      }),
    );
    render(<App backend={backend} />);
    await user.click(screen.getByRole('button', { name: 'Open Settings' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Settings');
    expect(screen.getByLabelText('License key')).toHaveValue('ACME-ENG-0002');
  });
});
