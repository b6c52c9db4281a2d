import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { JobPhase, VmView } from '../../shared/ipc-contract.ts';
import { VmList } from '../../renderer/views/vm-list.tsx';
import { aVm } from './fixtures.ts';

function renderList(
  vms: readonly VmView[],
  selectedId?: string,
  job: JobPhase = { phase: 'idle' },
) {
  const onAction = vi.fn();
  const onSelect = vi.fn();
  const view = render(
    <VmList vms={vms} job={job} selectedId={selectedId} onSelect={onSelect} onAction={onAction} />,
  );
  const rerender = (next: readonly VmView[]) =>
    view.rerender(
      <VmList
        vms={next}
        job={job}
        selectedId={selectedId}
        onSelect={onSelect}
        onAction={onAction}
      />,
    );
  return { onAction, onSelect, rerender };
}

describe('VmList', () => {
  it("shows each VM's icon, system, architecture, source, size on disk and state", () => {
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
    expect(first).toHaveTextContent(
      /Windows 11 Engineering.*Windows 11 · Apple silicon.*21\.5 GB.*Stopped/,
    );
    expect(second).toHaveTextContent(/Dev box.*Ubuntu 24\.04 LTS · Intel.*Created on this Mac/);
    expect(first!.querySelector('img')).toHaveAttribute('data-os', 'windows');
    expect(second!.querySelector('img')).toHaveAttribute('data-os', 'ubuntu');
  });

  it('names every action button after its VM and reports the action', async () => {
    const user = userEvent.setup();
    const { onAction, onSelect } = renderList([aVm()]);
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
    // Acting on a VM selects it, as clicking anywhere in its row does.
    expect(onSelect).toHaveBeenCalledWith('vm-1');
  });

  it('says beside a running VM why it cannot be packed or removed', () => {
    renderList([aVm({ state: 'running' })]);
    expect(screen.getByRole('button', { name: 'Stop Windows 11 Engineering' })).toBeEnabled();
    const transfer = screen.getByRole('button', { name: /^Prepare for Transfer/ });
    expect(transfer).toBeDisabled();
    expect(transfer).toHaveAccessibleDescription('Stop the VM before preparing it for transfer.');
    const remove = screen.getByRole('button', { name: /^Remove/ });
    expect(remove).toBeDisabled();
    expect(remove).toHaveAccessibleDescription('Stop the VM before removing it.');
    // Visible in the row, not only to a screen reader.
    const row = screen.getAllByRole('row')[1]!;
    expect(within(row).getByText('Stop the VM before preparing it for transfer.')).toBeVisible();
  });

  it('disables Remove for a corporate VM the policy keeps, and says why in the row', () => {
    renderList([aVm({ removable: false })]);
    const remove = screen.getByRole('button', { name: 'Remove Windows 11 Engineering' });
    expect(remove).toBeDisabled();
    expect(remove).toHaveAccessibleDescription(
      'Your organisation does not allow removing corporate VMs.',
    );
    expect(
      screen.getByText('Your organisation does not allow removing corporate VMs.'),
    ).toBeVisible();
  });

  it('asks in a dialog before removing; Escape cancels and gives the focus back', async () => {
    const user = userEvent.setup();
    const { onAction } = renderList([aVm()]);
    const remove = screen.getByRole('button', { name: 'Remove Windows 11 Engineering' });
    await user.click(remove);
    const dialog = screen.getByRole('dialog', { name: 'Remove “Windows 11 Engineering”?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    // Nothing of the choice is squeezed into the row any more.
    expect(within(screen.getByRole('table')).queryByText(/Keep Files/)).not.toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(remove).toHaveFocus();
    expect(onAction).not.toHaveBeenCalled();
  });

  it('removes with or without the files as the dialog was answered', async () => {
    const user = userEvent.setup();
    const { onAction } = renderList([aVm()]);
    const remove = screen.getByRole('button', { name: 'Remove Windows 11 Engineering' });
    await user.click(remove);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(remove);
    await user.click(screen.getByRole('button', { name: 'Keep Files' }));
    await user.click(remove);
    await user.click(screen.getByRole('button', { name: 'Delete Files' }));
    expect(onAction.mock.calls).toEqual([
      ['vm-1', 'remove'],
      ['vm-1', 'delete'],
    ]);
  });

  it('moves the focus to the next VM once a removed one has left the list', async () => {
    const user = userEvent.setup();
    const other = aVm({ uuid: 'vm-2', name: 'Dev box' });
    const { rerender } = renderList([aVm(), other]);
    await user.click(screen.getByRole('button', { name: 'Remove Windows 11 Engineering' }));
    await user.click(screen.getByRole('button', { name: 'Keep Files' }));
    rerender([other]);
    expect(screen.getByRole('button', { name: 'Dev box' })).toHaveFocus();
    rerender([]);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
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

  it('selects a VM on a click anywhere in its row', async () => {
    const user = userEvent.setup();
    const { onSelect } = renderList([aVm(), aVm({ uuid: 'vm-2', name: 'Dev box' })]);
    await user.click(screen.getAllByRole('row')[2]!.querySelector('td')!);
    expect(onSelect).toHaveBeenCalledWith('vm-2');
  });

  it('says that there is none yet when no VM is being set up', () => {
    renderList([]);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByText('No virtual machines yet.')).toBeInTheDocument();
  });
});
