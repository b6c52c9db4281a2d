import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AdminStreamMessage, FleetDevice } from '../../../shared/admin-fleet.ts';
import type { StreamSubscription } from '../../../renderer/admin/api/admin-stream.ts';
import { FleetPage } from '../../../renderer/admin/pages/fleet-page.tsx';
import { fakeClient, someDevice } from './fake-portal.ts';

// 1,000 Macs: mac-0000 .. mac-0999; every tenth downloading, every fourth registered (not both),
// groups in turn engineering / finance, golden images win11-dev / win11-all in turn.
function fleet(change: (i: number) => Partial<FleetDevice> = () => ({})): FleetDevice[] {
  return Array.from({ length: 1_000 }, (_, i) =>
    someDevice({
      deviceId: `dev-${i}`,
      hostname: `mac-${String(i).padStart(4, '0')}`,
      serialNumber: `C02Q${String(i * 7).padStart(5, '0')}K`,
      groupId: i % 2 === 0 ? 'engineering' : 'finance',
      goldenImageId: i % 3 === 0 ? 'win11-dev' : 'win11-all',
      phase: i % 10 === 0 ? 'downloading' : i % 4 === 0 ? 'registered' : null,
      progress: i % 10 === 0 ? { transferred: 1, total: 2 } : null,
      ...change(i),
    }),
  );
}

function renderLarge() {
  let push: (message: AdminStreamMessage) => void = () => undefined;
  const subscribe: StreamSubscription = (onMessage) => {
    push = (message) => act(() => onMessage(message));
    return () => undefined;
  };
  const { client } = fakeClient({
    'GET /api/v1/admin/devices': { status: 200, body: { devices: fleet() } },
  });
  render(<FleetPage client={client} subscribe={subscribe} />);
  return { push: (message: AdminStreamMessage) => push(message) };
}

const count = (phase: string) =>
  screen.getByRole('group', { name: 'Phase' }).querySelector(`[data-count="${phase}"]`)
    ?.textContent;
const hostnames = () =>
  within(screen.getByRole('table', { name: 'Devices' }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getByRole('rowheader').textContent);

describe('FleetPage with 1,000 Macs', () => {
  it('shows the counts per phase and draws one page of 50 rows at a time', async () => {
    const user = userEvent.setup();
    renderLarge();
    await screen.findByRole('row', { name: /mac-0000/ });
    expect(count('all')).toBe('1000');
    expect(count('downloading')).toBe('100');
    // Multiples of 4 that are not of 10: 250 - 50.
    expect(count('registered')).toBe('200');
    expect(count('idle')).toBe('700');
    expect(hostnames()).toHaveLength(50);
    expect(screen.getByText('Macs 1–50 of 1,000')).toBeVisible();

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(hostnames()[0]).toBe('mac-0050');
    expect(screen.getByText('Macs 51–100 of 1,000')).toBeVisible();
  });

  it('filters by phase, group, golden image and hostname, counting within the other filters', async () => {
    const user = userEvent.setup();
    renderLarge();
    await screen.findByRole('row', { name: /mac-0000/ });
    await user.click(screen.getByRole('button', { name: /^Downloading/ }));
    expect(screen.getByText('Macs 1–50 of 100')).toBeVisible();
    expect(hostnames().slice(0, 3)).toEqual(['mac-0000', 'mac-0010', 'mac-0020']);

    await user.selectOptions(screen.getByLabelText('Group'), 'finance');
    // Finance is the odd Macs: none is a multiple of ten.
    expect(screen.getByText('No Mac matches')).toBeVisible();
    expect(count('downloading')).toBe('0');
    expect(count('idle')).toBe('500');

    await user.click(screen.getByRole('button', { name: /^All/ }));
    await user.selectOptions(screen.getByLabelText('Golden image'), 'win11-dev');
    await user.type(screen.getByLabelText('Hostname or serial'), 'MAC-09');
    // Odd, a multiple of three, and 0900-0999.
    expect(hostnames()).toEqual(
      Array.from({ length: 100 }, (_, i) => 900 + i)
        .filter((n) => n % 2 === 1 && n % 3 === 0)
        .map((n) => `mac-0${n}`),
    );
  });

  it('finds a Mac by a part of its serial number, in any case', async () => {
    const user = userEvent.setup();
    renderLarge();
    await screen.findByRole('row', { name: /mac-0000/ });
    // 4,242 is Mac 606's serial part (606 × 7) and no other Mac's.
    await user.type(screen.getByLabelText('Hostname or serial'), 'q04242k');
    expect(hostnames()).toEqual(['mac-0606']);
    expect(screen.getByRole('row', { name: /mac-0606/ })).toHaveTextContent('C02Q04242K');
  });

  it('stays live: a stream update moves the counts and the rows of the page shown', async () => {
    const user = userEvent.setup();
    const { push } = renderLarge();
    await screen.findByRole('row', { name: /mac-0000/ });
    await user.click(screen.getByRole('button', { name: /^Downloading/ }));
    push({
      type: 'devices',
      devices: fleet((i) => (i === 10 ? { phase: 'registered', progress: null } : {})),
    });
    expect(count('downloading')).toBe('99');
    expect(count('registered')).toBe('201');
    expect(hostnames().slice(0, 2)).toEqual(['mac-0000', 'mac-0020']);
  });
});
