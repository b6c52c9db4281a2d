import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { JobPhase } from '../../shared/ipc-contract.ts';
import { NewVmFlow, type FlowHandlers } from '../../renderer/views/new-vm-flow.tsx';
import { anAppState, aVm } from './fixtures.ts';

const sha256 = 'c'.repeat(64);
const newVm = aVm({
  uuid: 'vm-new',
  name: 'Windows 11 Engineering (2025)',
  source: {
    kind: 'golden-image',
    goldenImageId: 'win11-arm',
    goldenImageName: 'Windows 11 Engineering',
    url: 'https://images.example.com/win11-2025.pvmp',
    sha256,
    policyRevision: 2,
  },
});
const previous = aVm({ uuid: 'vm-old', name: 'Windows 11 Engineering (2024)' });

function renderUpdated(
  previousRemoved: boolean,
  vms = [newVm],
  extra: { previous?: typeof previous; keptReason?: string } = {},
) {
  const onDismiss = vi.fn();
  const job: JobPhase = {
    phase: 'updated',
    vm: newVm,
    previous: extra.previous ?? previous,
    previousRemoved,
    ...(extra.keptReason === undefined ? {} : { keptReason: extra.keptReason }),
  };
  const { container } = render(
    <NewVmFlow
      state={anAppState({ vms, job })}
      handlers={{ onDismiss } as unknown as FlowHandlers}
    />,
  );
  return { onDismiss, container };
}

describe('the outcome of an update', () => {
  it('says the new VM replaced the previous one, with the checksum it matched', async () => {
    const user = userEvent.setup();
    const { onDismiss, container } = renderUpdated(true);
    expect(container.querySelector('.flow')).toHaveAttribute('data-state', 'updated');
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent(
      'Windows 11 Engineering (2025) replaced Windows 11 Engineering (2024)',
    );
    expect(screen.getByText(sha256)).toBeInTheDocument();
    expect(screen.getByText(/was removed from this Mac/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(onDismiss).toHaveBeenCalledOnce();
  });

  it('says both VMs are kept, and why, when policy prevents removing the previous one', () => {
    renderUpdated(false, [previous, newVm]);
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent(
      'Windows 11 Engineering (2025) is ready beside Windows 11 Engineering (2024)',
    );
    expect(
      screen.getByText(/Both VMs are kept: your organisation prevents removing corporate VMs/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/replaced/)).not.toBeInTheDocument();
  });

  it('says nothing more once the new VM was removed from the list', () => {
    const { container } = renderUpdated(true, []);
    expect(container).toBeEmptyDOMElement();
  });

  it("says the VM is updated when the new version took the previous one's name", () => {
    renderUpdated(true, [newVm], { previous: aVm({ uuid: 'vm-old', name: newVm.name }) });
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent(
      'Windows 11 Engineering (2025) is updated to the new version',
    );
  });

  it("gives the agent's reason when the previous VM was kept for another one", () => {
    const keptReason = '"Windows 11 Engineering (2024)" is running; shut it down, then remove it';
    const { container } = renderUpdated(false, [previous, newVm], { keptReason });
    expect(container.textContent).toContain(`Both VMs are kept: ${keptReason}.`);
    expect(screen.queryByText(/prevents removing/)).not.toBeInTheDocument();
  });
});
