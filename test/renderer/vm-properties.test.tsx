import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/app.tsx';
import { anAppState, aVm, fakeBackend } from './fixtures.ts';

const SHA = '0123456789abcdef'.repeat(4);

function properties(vmName = 'Windows 11 Engineering') {
  return screen.getByRole('region', { name: vmName });
}

describe('VM properties', () => {
  it('opens on a click on a VM with its system, architecture, source, checksum and folder', async () => {
    const user = userEvent.setup();
    const vm = aVm({
      source: {
        kind: 'golden-image',
        goldenImageId: 'win11-arm',
        goldenImageName: 'ACME Windows 11 for Developers',
        url: 'https://images.example.com/win11.pvmp',
        sha256: SHA,
        policyRevision: 3,
      },
      path: 'Parallels/Windows 11 Engineering.pvm',
      registeredAt: '2025-01-01T10:00:00.000Z',
      removable: false,
    });
    render(<App backend={fakeBackend(anAppState({ vms: [vm] })).backend} />);
    expect(screen.queryByRole('region')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Windows 11 Engineering' }));
    const pane = properties();
    expect(within(pane).getByRole('heading', { name: 'Windows 11 Engineering' })).toBeVisible();
    const fact = (term: string) => within(pane).getByText(term).nextElementSibling;
    expect(fact('Operating system')).toHaveTextContent(/^Windows 11Going by its name/);
    expect(fact('Architecture')).toHaveTextContent('Apple silicon');
    expect(fact('State')).toHaveTextContent('Stopped');
    expect(fact('Source')).toHaveTextContent('Golden image “ACME Windows 11 for Developers”');
    // The checksum is there whole, to compare with the administrator's.
    expect(fact('SHA-256')).toHaveTextContent(SHA);
    expect(fact('Registered')).toHaveTextContent(/2025/);
    expect(fact('Folder')).toHaveTextContent('Parallels/Windows 11 Engineering.pvm');
    expect(fact('Size on disk')).toHaveTextContent('21.5 GB');
    expect(fact('Corporate')).toHaveTextContent('Yes');
    expect(fact('Removable')).toHaveTextContent(
      'No. Your organisation does not allow removing corporate VMs.',
    );
  });

  it('says a VM of the Installation Assistant was created there, with the system chosen', async () => {
    const user = userEvent.setup();
    const vm = aVm({
      name: 'Dev box',
      source: { kind: 'assistant', os: 'ubuntu-24.04' },
      corporate: false,
    });
    render(<App backend={fakeBackend(anAppState({ vms: [vm] })).backend} />);
    await user.click(screen.getByRole('button', { name: 'Dev box' }));
    const pane = properties('Dev box');
    expect(within(pane).getByText('Source').nextElementSibling).toHaveTextContent(
      'Created in the Installation Assistant',
    );
    expect(within(pane).getByText('Operating system').nextElementSibling).toHaveTextContent(
      /^Ubuntu 24\.04 LTS$/,
    );
    expect(within(pane).queryByText('SHA-256')).not.toBeInTheDocument();
    expect(pane.querySelector('img')).toHaveAttribute('data-os', 'ubuntu');
  });

  it('shows where Show in Finder went inside the pane of that VM, beside its facts', async () => {
    const user = userEvent.setup();
    const { backend } = fakeBackend();
    backend.vmAction.mockResolvedValueOnce({ ok: true, value: 'Its folder: Parallels/Win.pvm' });
    render(<App backend={backend} />);
    await user.click(screen.getByRole('button', { name: 'Windows 11 Engineering' }));
    await user.click(within(properties()).getByRole('button', { name: 'Show in Finder' }));
    expect(backend.vmAction).toHaveBeenCalledWith('vm-1', 'show-in-folder');
    expect(await within(properties()).findByRole('status')).toHaveTextContent(
      'Its folder: Parallels/Win.pvm',
    );
  });

  it('closes when its VM is removed, and nothing on screen names it any more', async () => {
    const user = userEvent.setup();
    const fake = fakeBackend();
    fake.backend.vmAction.mockResolvedValueOnce({
      ok: true,
      value: 'Its folder: Parallels/Win.pvm',
    });
    render(<App backend={fake.backend} />);
    await user.click(screen.getByRole('button', { name: /^Show in folder/ }));
    await within(properties()).findByText('Its folder: Parallels/Win.pvm');
    await user.click(screen.getByRole('button', { name: /^Remove/ }));
    await user.click(screen.getByRole('button', { name: 'Keep Files' }));
    act(() => fake.emit(anAppState({ vms: [] })));
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
    expect(
      screen.queryByText(/Windows 11 Engineering|Parallels\/Win\.pvm/),
    ).not.toBeInTheDocument();
    expect(screen.getByText('No virtual machines yet.')).toBeInTheDocument();
  });
});
