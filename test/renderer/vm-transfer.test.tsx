import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Result, TransferArchive, VmView } from '../../shared/ipc-contract.ts';
import { App } from '../../renderer/app.tsx';
import { createContractBackend } from '../../renderer/backend/contract-backend.ts';
import { aContractState, aContractVm, fakeContractClient } from './contract-fixtures.ts';

const GB = 1_000_000_000;

function renderWithVm(vm: VmView) {
  const fake = fakeContractClient();
  fake.answer('state:get', () => ({ ok: true, value: aContractState({ vms: [vm] }) }));
  render(<App backend={createContractBackend(fake.client)} />);
  return fake;
}

describe('Prepare for Transfer in the VM list', () => {
  it('shows how far the pack has come, in the row and in the properties', async () => {
    const user = userEvent.setup();
    renderWithVm(aContractVm({ packing: { readBytes: 1.5 * GB, totalBytes: 4 * GB } }));
    const bar = await screen.findByRole('progressbar', {
      name: 'Preparing ACME Dev Win11 ARM for transfer',
    });
    expect(bar).toHaveAttribute('max', String(4 * GB));
    expect(bar).toHaveAttribute('value', String(1.5 * GB));
    expect(bar).toHaveAttribute('aria-valuetext', '37%, 1.5 GB of 4 GB');
    const row = screen.getAllByRole('row')[1]!;
    expect(row).toHaveTextContent(/Preparing for transfer.*37%/);
    // Nothing else may happen to the VM while it packs, and the row says why.
    expect(within(row).getByRole('button', { name: /^Start/ })).toHaveAccessibleDescription(
      'Being prepared for transfer.',
    );
    expect(within(row).getByRole('button', { name: /^Remove/ })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'ACME Dev Win11 ARM' }));
    const pane = screen.getByRole('region', { name: 'ACME Dev Win11 ARM' });
    expect(within(pane).getByText('State').nextElementSibling).toHaveTextContent(
      'Preparing for transfer37%, 1.5 GB of 4 GB',
    );
  });

  it('shows a bar without a value before the pack knows the total', async () => {
    renderWithVm(aContractVm({ packing: { readBytes: 0, totalBytes: 0 } }));
    const bar = await screen.findByRole('progressbar');
    expect(bar).not.toHaveAttribute('value');
    expect(bar).toHaveAttribute('aria-valuetext', 'Starting…');
  });

  it('sends Cancel Transfer on vm:cancel-transfer, and the cancelled pack is no error', async () => {
    const user = userEvent.setup();
    const fake = renderWithVm(aContractVm({ packing: null }));
    let finishPack: (result: Result<TransferArchive>) => void = () => undefined;
    fake.answer('vm:prepare-transfer', () => new Promise((resolve) => (finishPack = resolve)));
    await user.click(await screen.findByRole('button', { name: /^Prepare for Transfer/ }));
    act(() =>
      fake.push('state:changed', {
        ...aContractState(),
        vms: [aContractVm({ packing: { readBytes: 10, totalBytes: 100 } })],
      }),
    );
    await user.click(
      await screen.findByRole('button', { name: 'Cancel Transfer ACME Dev Win11 ARM' }),
    );
    expect(fake.calls.map(({ channel, payload }) => [channel, payload])).toContainEqual([
      'vm:cancel-transfer',
      { uuid: 'vm-1' },
    ]);
    finishPack({
      ok: false,
      error: { code: 'CANCELLED', message: 'The pack was cancelled.', retryable: false },
    });
    const pane = screen.getByRole('region', { name: 'ACME Dev Win11 ARM' });
    await waitFor(() =>
      expect(within(pane).getByRole('status')).toHaveTextContent(
        'Prepare for Transfer was cancelled.',
      ),
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  describe('when the pack answers while another VM is selected', () => {
    const packer = aContractVm();
    const other = aContractVm({ uuid: 'vm-2', name: 'Build Box', path: 'Parallels/Build Box.pvm' });
    const archive: TransferArchive = {
      archivePath: 'Transfers/ACME Dev Win11 ARM.pvmp',
      sha256Path: 'Transfers/ACME Dev Win11 ARM.pvmp.sha256',
      sha256: 'b'.repeat(64),
      sizeBytes: 4 * GB,
    };

    function renderTwoVms() {
      const fake = fakeContractClient();
      fake.answer('state:get', () => ({
        ok: true,
        value: aContractState({ vms: [packer, other] }),
      }));
      let finishPack: (result: Result<TransferArchive>) => void = () => undefined;
      fake.answer('vm:prepare-transfer', () => new Promise((resolve) => (finishPack = resolve)));
      render(<App backend={createContractBackend(fake.client)} />);
      return { fake, finishPack: (result: Result<TransferArchive>) => finishPack(result) };
    }

    const row = (name: string) => screen.getByRole('button', { name }).closest('tr')!;
    const pane = (name: string) => screen.getByRole('region', { name });

    it('keeps the archive out of the pane of a VM started meanwhile', async () => {
      const user = userEvent.setup();
      const { fake, finishPack } = renderTwoVms();
      await user.click(await screen.findByRole('button', { name: /^Prepare for Transfer ACME/ }));
      await user.click(within(row('Build Box')).getByRole('button', { name: /^Start/ }));
      expect(fake.calls.map(({ channel }) => channel)).toContain('vm:start');
      await act(async () => finishPack({ ok: true, value: archive }));

      expect(pane('Build Box')).not.toHaveTextContent('Prepared for transfer');
      await user.click(screen.getByRole('button', { name: 'ACME Dev Win11 ARM' }));
      expect(within(pane('ACME Dev Win11 ARM')).getByRole('status')).toHaveTextContent(
        'Prepared for transfer: Transfers/ACME Dev Win11 ARM.pvmp',
      );
    });

    it('shows where the archive went once its VM is selected again', async () => {
      const user = userEvent.setup();
      const { finishPack } = renderTwoVms();
      await user.click(await screen.findByRole('button', { name: /^Prepare for Transfer ACME/ }));
      await user.click(screen.getByRole('button', { name: 'Build Box' }));
      await act(async () => finishPack({ ok: true, value: archive }));
      expect(pane('Build Box')).not.toHaveTextContent('Prepared for transfer');

      await user.click(screen.getByRole('button', { name: 'ACME Dev Win11 ARM' }));
      expect(within(pane('ACME Dev Win11 ARM')).getByRole('status')).toHaveTextContent(
        'Prepared for transfer: Transfers/ACME Dev Win11 ARM.pvmp, checksum in ' +
          'Transfers/ACME Dev Win11 ARM.pvmp.sha256',
      );
    });
  });
});
