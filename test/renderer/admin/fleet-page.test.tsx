import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AdminStreamMessage } from '../../../shared/admin-fleet.ts';
import type { StreamState, StreamSubscription } from '../../../renderer/admin/api/admin-stream.ts';
import { FleetPage } from '../../../renderer/admin/pages/fleet-page.tsx';
import { fakeClient, someDevice, type FakeRoutes } from './fake-portal.ts';

function fakeStream() {
  const listeners: {
    onMessage: (m: AdminStreamMessage) => void;
    onState: (s: StreamState) => void;
  }[] = [];
  const subscribe: StreamSubscription = (onMessage, onState) => {
    const listener = { onMessage, onState };
    listeners.push(listener);
    return () => listeners.splice(listeners.indexOf(listener), 1);
  };
  const push = (message: AdminStreamMessage): void =>
    act(() => listeners.forEach((l) => l.onMessage(message)));
  const state = (value: StreamState): void => act(() => listeners.forEach((l) => l.onState(value)));
  return { subscribe, push, state };
}

const other = someDevice({
  deviceId: 'dev-2',
  hostname: 'mac-eng-02',
  arch: 'x86_64',
  online: false,
});

function renderFleet(routes: FakeRoutes = {}) {
  const { client, sent } = fakeClient({
    'GET /api/v1/admin/devices': { status: 200, body: { devices: [someDevice(), other] } },
    ...routes,
  });
  const stream = fakeStream();
  render(<FleetPage client={client} subscribe={stream.subscribe} />);
  return { sent, stream };
}

describe('FleetPage', () => {
  it('lists the devices and follows the stream: phase, progress and the registered corporate VM', async () => {
    const { stream } = renderFleet();
    const row = await screen.findByRole('row', { name: /mac-finance-01/ });
    expect(row).toHaveTextContent('Apple silicon');
    expect(row).toHaveTextContent('ACME-FIN-••••');
    expect(row).toHaveTextContent('finance');
    expect(row).toHaveTextContent('Online');
    expect(row).toHaveTextContent('Idle');
    expect(screen.getByRole('row', { name: /mac-eng-02/ })).toHaveTextContent('Offline');

    stream.state('live');
    expect(screen.getByText('Live')).toBeVisible();
    const downloading = { transferred: 512, total: 1024 };
    stream.push({
      type: 'devices',
      devices: [someDevice({ phase: 'downloading', progress: downloading }), other],
    });
    const bar = screen.getByRole('progressbar', { name: 'mac-finance-01 downloading progress' });
    expect(bar).toHaveAttribute('value', '512');
    expect(bar).toHaveAttribute('max', '1024');

    const vm = {
      name: 'ACME Windows 11',
      goldenImageId: 'win11',
      arch: 'arm64' as const,
      registeredAt: '2025-02-03T04:06:00.000Z',
    };
    stream.push({
      type: 'devices',
      devices: [someDevice({ phase: 'registered', corporateVms: [vm] }), other],
    });
    const updated = screen.getByRole('row', { name: /mac-finance-01/ });
    expect(updated).toHaveAttribute('data-phase', 'registered');
    // The phase in the words of the filter buttons, not its id.
    expect(updated.querySelector('td.phase')).toHaveTextContent(/^Registered$/);
    expect(within(updated).getByText('ACME Windows 11')).toBeVisible();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('sends the selected devices for policy retrieval and shows each one’s state', async () => {
    const user = userEvent.setup();
    const { sent, stream } = renderFleet({
      'POST /api/v1/admin/devices/retrieve-policy': {
        status: 200,
        body: {
          results: [
            { deviceId: 'dev-1', state: 'pending' },
            { deviceId: 'dev-2', state: 'offline' },
          ],
        },
      },
    });
    const button = screen.getByRole('button', { name: 'Request policy retrieval' });
    expect(button).toBeDisabled();
    await user.click(await screen.findByLabelText('Select mac-finance-01'));
    await user.click(screen.getByLabelText('Select mac-eng-02'));
    await user.click(button);

    expect(sent.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/v1/admin/devices/retrieve-policy',
      body: { deviceIds: ['dev-1', 'dev-2'] },
    });
    expect(await screen.findByRole('row', { name: /mac-finance-01/ })).toHaveTextContent(
      'Asked, waiting',
    );
    expect(screen.getByRole('row', { name: /mac-eng-02/ })).toHaveTextContent(
      'At its next check-in',
    );

    // The stream later tells that the Mac fetched its policy.
    const retrieval = { requestedAt: '2025-02-03T04:07:00.000Z', state: 'retrieved' as const };
    stream.push({ type: 'devices', devices: [someDevice({ retrieval }), other] });
    expect(screen.getByRole('row', { name: /mac-finance-01/ })).toHaveTextContent('Retrieved');
  });
});
