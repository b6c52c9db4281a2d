import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StreamSubscription } from '../../../renderer/admin/api/admin-stream.ts';
import type { AdminFleetDevice } from '../../../renderer/admin/api/fleet-words.ts';
import { FleetPage } from '../../../renderer/admin/pages/fleet-page.tsx';
import { fakeClient, someDevice } from './fake-portal.ts';

const quiet: StreamSubscription = () => () => undefined;

function renderFleet(devices: AdminFleetDevice[]) {
  const { client } = fakeClient({
    'GET /api/v1/admin/devices': { status: 200, body: { devices } },
    'GET /api/v1/admin/user-groups': {
      status: 200,
      body: { userGroups: [{ id: 'finance', name: 'Finance', licenseKey: 'ACME-FIN-0003' }] },
    },
    'GET /api/v1/admin/golden-images': {
      status: 200,
      body: { goldenImages: [{ id: 'win11-fin', name: 'ACME Windows 11 for Finance' }] },
    },
  });
  render(<FleetPage client={client} subscribe={quiet} />);
}

describe('the fleet view in words', () => {
  it('names the group and, for a downloading Mac, the image, its speed and the time left', async () => {
    renderFleet([
      someDevice({
        phase: 'downloading',
        goldenImageId: 'win11-fin',
        progress: { transferred: 1_000_000_000, total: 4_000_000_000 },
        download: { bytesPerSec: 25_000_000, secondsLeft: 120 },
      }),
    ]);
    const row = await screen.findByRole('row', { name: /mac-finance-01/ });
    // The group by its name once the names are loaded, not by its id.
    expect(await within(row).findByRole('cell', { name: 'Finance' })).toBeVisible();
    const phase = row.querySelector('td.phase');
    expect(phase).toHaveTextContent('Downloading ACME Windows 11 for Finance');
    expect(phase).toHaveTextContent('1 GB of 4 GB · 25 MB/s · about 2 min left');
  });

  it('tells a Mac refused at check-in from an idle online one, and never says Online beside Offline', async () => {
    renderFleet([
      someDevice({ refusedWith: 'LICENSE_REVOKED', online: true }),
      someDevice({
        deviceId: 'dev-2',
        hostname: 'mac-gone-02',
        refusedWith: 'LICENSE_UNKNOWN',
        online: true,
        groupId: null,
      }),
      someDevice({
        deviceId: 'dev-3',
        hostname: 'mac-once-03',
        retrieval: { requestedAt: '2025-02-03T04:07:00.000Z', state: 'offline' },
      }),
    ]);
    const revoked = await screen.findByRole('row', { name: /mac-finance-01/ });
    expect(revoked.querySelector('td.status')).toHaveTextContent('Refused: license revoked');
    expect(revoked).not.toHaveTextContent(/Online|Idle/);
    const unknown = screen.getByRole('row', { name: /mac-gone-02/ });
    expect(unknown.querySelector('td.status')).toHaveTextContent('Refused: unknown license key');
    expect(unknown).not.toHaveTextContent(/Online|Idle/);
    const waiting = screen.getByRole('row', { name: /mac-once-03/ });
    expect(waiting).toHaveTextContent('Online');
    expect(waiting).toHaveTextContent('At its next check-in');
    expect(waiting).not.toHaveTextContent('Offline');
  });
});
