import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { VmView } from '../../shared/ipc-contract.ts';
import { VmList } from '../../renderer/views/vm-list.tsx';
import { aVm } from './fixtures.ts';

function renderList(vms: readonly VmView[], selectedId?: string) {
  const onAction = vi.fn();
  const onSelect = vi.fn();
  render(<VmList vms={vms} selectedId={selectedId} onSelect={onSelect} onAction={onAction} />);
  return { onAction, onSelect };
}

describe('VmList', () => {
  it("shows each VM's name, architecture, golden image, size on disk and state", () => {
    renderList([
      aVm(),
      aVm({
        uuid: 'vm-2',
        name: 'Dev box',
        source: { kind: 'assistant', os: 'ubuntu-24.04' },
        arch: 'x86_64',
        corporate: false,
      }),
    ]);
    const [, first, second] = screen.getAllByRole('row');
    expect(first).toHaveTextContent(/Windows 11 Engineering.*Apple silicon.*21\.5 GB.*Stopped/);
    expect(second).toHaveTextContent(/Dev box.*Intel.*Created on this Mac/);
  });

  it('names every action button after its VM and reports the action', async () => {
    const user = userEvent.setup();
    const { onAction } = renderList([aVm()]);
    await user.click(screen.getByRole('button', { name: 'Start Windows 11 Engineering' }));
    await user.click(screen.getByRole('button', { name: 'Show in folder Windows 11 Engineering' }));
    await user.click(
      screen.getByRole('button', { name: 'Prepare for Transfer Windows 11 Engineering' }),
    );
    expect(onAction.mock.calls).toEqual([
      ['vm-1', 'start'],
      ['vm-1', 'show-in-folder'],
      ['vm-1', 'prepare-for-transfer'],
    ]);
  });

  it('offers Stop for a running VM and keeps it from being packed or removed', () => {
    renderList([aVm({ state: 'running' })]);
    expect(screen.getByRole('button', { name: 'Stop Windows 11 Engineering' })).toBeEnabled();
    expect(screen.getByRole('button', { name: /^Prepare for Transfer/ })).toBeDisabled();
    expect(screen.getByRole('button', { name: /^Remove/ })).toBeDisabled();
  });

  it('disables Remove for a corporate VM the policy keeps, and says why', () => {
    renderList([aVm({ removable: false })]);
    const remove = screen.getByRole('button', { name: 'Remove Windows 11 Engineering' });
    expect(remove).toBeDisabled();
    expect(remove).toHaveAccessibleDescription(
      'Your organisation keeps its corporate VMs on this Mac.',
    );
  });

  it('asks what to do with the files before removing, and Cancel leaves the VM alone', async () => {
    const user = userEvent.setup();
    const { onAction } = renderList([aVm()]);
    await user.click(screen.getByRole('button', { name: 'Remove Windows 11 Engineering' }));
    const choice = screen.getByRole('group', { name: 'Remove Windows 11 Engineering' });
    expect(within(choice).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(onAction).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Remove Windows 11 Engineering' }));
    await user.click(screen.getByRole('button', { name: 'Keep files' }));
    await user.click(screen.getByRole('button', { name: 'Remove Windows 11 Engineering' }));
    await user.click(screen.getByRole('button', { name: 'Move files to Trash' }));
    expect(onAction.mock.calls).toEqual([
      ['vm-1', 'remove'],
      ['vm-1', 'delete'],
    ]);
  });

  it('marks the selected VM and selects another on its name', async () => {
    const user = userEvent.setup();
    const { onSelect } = renderList([aVm(), aVm({ uuid: 'vm-2', name: 'Dev box' })], 'vm-1');
    expect(screen.getByRole('button', { name: 'Windows 11 Engineering' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(screen.getAllByRole('row')[1]).toHaveAttribute('aria-current', 'true');
    await user.click(screen.getByRole('button', { name: 'Dev box' }));
    expect(onSelect).toHaveBeenCalledWith('vm-2');
  });

  it('shows a VM being prepared for transfer as busy, with its size unknown', () => {
    renderList([aVm({ packing: true, sizeOnDiskBytes: null })]);
    const [, row] = screen.getAllByRole('row');
    expect(row).toHaveAttribute('data-state', 'packing');
    expect(row).toHaveTextContent(/Unknown.*Preparing for transfer/);
    expect(screen.getByRole('button', { name: /^Start/ })).toBeDisabled();
  });

  it('says how to get a first VM when there is none', () => {
    renderList([]);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByText(/No virtual machines yet/)).toBeInTheDocument();
  });
});
