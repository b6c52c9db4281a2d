import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type { AssistantOptions } from '../../shared/ipc-contract.ts';
import {
  InstallationAssistant,
  type InstallationAssistantProps,
} from '../../renderer/views/installation-assistant.tsx';
import { NewVmFlow, type FlowHandlers } from '../../renderer/views/new-vm-flow.tsx';
import { anAppState } from './fixtures.ts';

const GiB = 2 ** 30;

function renderAssistant(overrides: Partial<InstallationAssistantProps> = {}) {
  const props: InstallationAssistantProps = {
    reason: 'declined',
    corporateOnly: false,
    arch: 'arm64',
    oses: [
      { id: 'ubuntu-24.04', label: 'Ubuntu 24.04' },
      { id: 'windows-11', label: 'Windows 11' },
    ],
    defaults: { cpus: 2, memoryMb: 4096, diskSizeBytes: 64 * GiB },
    onCreate: vi.fn(async () => ({ ok: true, value: null }) as const),
    onGetCorporateVm: vi.fn(),
    onClose: vi.fn(),
    ...overrides,
  };
  render(<InstallationAssistant {...props} />);
  return props;
}

describe('InstallationAssistant', () => {
  it('creates a VM with the chosen OS, name, CPUs, memory and disk', async () => {
    const user = userEvent.setup();
    const props = renderAssistant();
    await user.click(screen.getByRole('radio', { name: 'Windows 11' }));
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'Test box');
    await user.clear(screen.getByLabelText('CPUs'));
    await user.type(screen.getByLabelText('CPUs'), '4');
    await user.clear(screen.getByLabelText('Memory (GB)'));
    await user.type(screen.getByLabelText('Memory (GB)'), '8');
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(props.onCreate).toHaveBeenCalledWith({
      os: 'windows-11',
      name: 'Test box',
      cpus: 4,
      memoryMb: 8192,
      diskSizeBytes: 64 * GiB,
    });
  });

  it('names the VM after the chosen OS until the user types a name', async () => {
    const user = userEvent.setup();
    renderAssistant();
    expect(screen.getByLabelText('Name')).toHaveValue('Ubuntu 24.04');
    await user.click(screen.getByRole('radio', { name: 'Windows 11' }));
    expect(screen.getByLabelText('Name')).toHaveValue('Windows 11');
  });

  it('offers the systems as cards to choose from, each with its icon', () => {
    renderAssistant();
    const group = screen.getByRole('group', { name: 'Operating system' });
    expect(group).toHaveAccessibleDescription('The VM is set up for Apple silicon.');
    const cards = screen.getAllByRole('radio');
    expect(cards.map((card) => card.closest('label')?.textContent)).toEqual([
      'Ubuntu 24.04',
      'Windows 11',
    ]);
    expect(cards[0]).toBeChecked();
    expect(cards[0]!.closest('label')!.querySelector('img')).toHaveAttribute('alt', '');
  });

  it('refuses a name a VM in the list already has, beside the name', async () => {
    const user = userEvent.setup();
    const props = renderAssistant({ takenNames: ['Dev Box'] });
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'dev box ');
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(props.onCreate).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(
      /A VM named "dev box" is already on this Mac\. Choose another name\./,
    );
  });

  it("shows the agent's refusal in the assistant", async () => {
    const user = userEvent.setup();
    renderAssistant({
      onCreate: vi.fn(async () => ({
        ok: false as const,
        error: { code: 'REGISTRATION_FAILED' as const, message: 'EACCES', retryable: true },
      })),
    });
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(ERROR_SENTENCES.REGISTRATION_FAILED);
  });

  it('refuses a CPU count out of range and says which values are allowed', async () => {
    const user = userEvent.setup();
    const props = renderAssistant();
    await user.clear(screen.getByLabelText('CPUs'));
    await user.type(screen.getByLabelText('CPUs'), '64');
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(props.onCreate).not.toHaveBeenCalled();
    expect(screen.getByLabelText('CPUs')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('CPUs')).toHaveAccessibleDescription(
      'The number of CPUs is a whole number from 1 to 32.',
    );
  });

  it('is blocked with the reason, and no field to fill in, when policy allows corporate VMs only', async () => {
    const user = userEvent.setup();
    const props = renderAssistant({ corporateOnly: true });
    expect(screen.getByRole('alert')).toHaveTextContent(ERROR_SENTENCES.CORPORATE_ONLY);
    expect(screen.queryByRole('button', { name: 'Create' })).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Download the corporate VM' }));
    expect(props.onGetCorporateVm).toHaveBeenCalledTimes(1);
    expect(props.onCreate).not.toHaveBeenCalled();
  });

  it('offers no second download when the corporate VM is already in the list', () => {
    renderAssistant({ corporateOnly: true, hasCorporateVm: true });
    expect(screen.getByText('Your corporate VM is already in the list below.')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Download the corporate VM' }),
    ).not.toBeInTheDocument();
  });

  it('offers no corporate download when the portal has no image for this Mac', () => {
    renderAssistant({ corporateOnly: true, reason: 'no-image' });
    expect(
      screen.queryByRole('button', { name: 'Download the corporate VM' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Close' })).toBeEnabled();
  });
});

describe('NewVmFlow with the Installation Assistant', () => {
  const options: AssistantOptions = {
    oses: [{ id: 'ubuntu-24.04', label: 'Ubuntu 24.04' }],
    defaults: { cpus: 2, memoryMb: 4096, diskSizeBytes: 64 * GiB },
    corporateOnly: false,
    blockedReason: null,
  };
  const handlers = (): FlowHandlers => ({
    onAnswer: vi.fn(),
    onPause: vi.fn(),
    onResume: vi.fn(),
    onCancel: vi.fn(),
    onCreate: vi.fn(async () => ({ ok: true, value: null }) as const),
    onRestart: vi.fn(),
    onDismiss: vi.fn(),
    onOpenSettings: vi.fn(),
    onCopyDetails: vi.fn(async () => {}),
  });
  const flow = () => document.querySelector('.flow');

  it("opens with the agent's options for this Mac's architecture", () => {
    const state = anAppState({
      job: { phase: 'assistant', reason: 'no-image' },
      assistant: { ok: true, value: options },
    });
    render(<NewVmFlow state={state} handlers={handlers()} />);
    expect(flow()).toHaveAttribute('data-state', 'assistant');
    expect(screen.getByLabelText('Name')).toHaveValue('Ubuntu 24.04');
    expect(screen.getByLabelText('CPUs')).toHaveValue(2);
    expect(screen.getByRole('group', { name: 'Operating system' })).toHaveAccessibleDescription(
      'The VM is set up for Apple silicon.',
    );
    expect(screen.getByRole('button', { name: 'Create' })).toBeEnabled();
  });

  it('stays on screen while the VM is made, so a refusal can show in its form', () => {
    const assistant = { ok: true as const, value: options };
    const state = anAppState({ job: { phase: 'assistant', reason: 'no-image' }, assistant });
    const { rerender } = render(<NewVmFlow state={state} handlers={handlers()} />);
    const heading = screen.getByRole('heading', { name: 'Installation Assistant' });
    const creating = { ...state, job: { phase: 'creating', vmName: 'Box' } } as const;
    rerender(<NewVmFlow state={creating} handlers={handlers()} />);
    expect(screen.getByRole('heading', { name: 'Installation Assistant' })).toBe(heading);
    expect(screen.getByRole('button', { name: 'Creating…' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  it('does not let a name already in the list through', async () => {
    const user = userEvent.setup();
    const on = handlers();
    const state = anAppState({
      job: { phase: 'assistant', reason: 'no-image' },
      assistant: { ok: true, value: options },
    });
    render(<NewVmFlow state={state} handlers={on} />);
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), state.vms[0]!.name);
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(on.onCreate).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
  });

  it('shows a declined corporate-only invitation as the blocked assistant, with the way back', async () => {
    const user = userEvent.setup();
    const on = handlers();
    const error = { code: 'CORPORATE_ONLY', message: 'corporate only', retryable: false } as const;
    const state = anAppState({
      vms: [],
      job: { phase: 'failed', error },
      assistant: { ok: true, value: options },
    });
    render(<NewVmFlow state={state} handlers={on} />);
    expect(flow()).toHaveAttribute('data-state', 'assistant');
    expect(screen.getByRole('alert')).toHaveTextContent(ERROR_SENTENCES.CORPORATE_ONLY);
    expect(screen.queryByRole('button', { name: 'Create' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Download the corporate VM' }));
    expect(on.onRestart).toHaveBeenCalledTimes(1);
  });

  it('shows why when the options cannot be had, and the corporate-only failure as it is', () => {
    const unreachable = {
      code: 'HOST_UNREACHABLE',
      message: 'fetch failed',
      retryable: true,
    } as const;
    const { unmount } = render(
      <NewVmFlow
        state={anAppState({
          job: { phase: 'assistant', reason: 'no-image' },
          assistant: { ok: false, error: unreachable },
        })}
        handlers={handlers()}
      />,
    );
    expect(flow()).toHaveAttribute('data-state', 'failed');
    expect(screen.getByText(ERROR_SENTENCES.HOST_UNREACHABLE)).toBeInTheDocument();
    unmount();
    const error = { code: 'CORPORATE_ONLY', message: 'corporate only', retryable: false } as const;
    render(
      <NewVmFlow
        state={anAppState({
          job: { phase: 'failed', error },
          assistant: { ok: false, error: unreachable },
        })}
        handlers={handlers()}
      />,
    );
    expect(flow()).toHaveAttribute('data-state', 'failed');
    expect(screen.getByText(ERROR_SENTENCES.CORPORATE_ONLY)).toBeInTheDocument();
  });
});
