import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AdminStreamMessage } from '../../../shared/admin-fleet.ts';
import type { StreamSubscription } from '../../../renderer/admin/api/admin-stream.ts';
import { EventsPage } from '../../../renderer/admin/pages/events-page.tsx';
import { fakeClient, someDevice } from './fake-portal.ts';

const ADMIN = '/api/v1/admin';
const VM = '6f1c2a9e-4b7d-4e8a-9c3f-0a1b2c3d4e5f';

// As the portal answers: the newest events, oldest first.
const stored = [
  {
    id: 'e1',
    deviceId: 'dev-1',
    type: 'download-progress',
    at: '2025-02-03T04:05:00.000Z',
    goldenImageId: 'win11',
    transferred: 1_500_000_000,
    total: 4_000_000_000,
    attemptBytes: 1_500_000_000,
    resumedFrom: 0,
  },
  {
    id: 'e2',
    deviceId: 'dev-1',
    type: 'registered',
    at: '2025-02-03T04:09:00.000Z',
    goldenImageId: 'win11',
    vmUuid: VM,
    name: 'ACME Windows 11',
  },
];

function renderEvents() {
  let onMessage: (message: AdminStreamMessage) => void = () => undefined;
  const subscribe: StreamSubscription = (listener) => {
    onMessage = listener;
    return () => undefined;
  };
  const { client, sent } = fakeClient({
    [`GET ${ADMIN}/events?limit=200`]: { status: 200, body: { events: stored, total: 2 } },
    [`GET ${ADMIN}/events?limit=200&type=registered`]: {
      status: 200,
      body: { events: [stored[1]], total: 1 },
    },
    [`GET ${ADMIN}/devices`]: { status: 200, body: { devices: [someDevice()] } },
    [`GET ${ADMIN}/golden-images`]: {
      status: 200,
      body: { goldenImages: [{ id: 'win11', name: 'ACME Windows 11 for Finance' }] },
    },
  });
  render(<EventsPage client={client} subscribe={subscribe} />);
  return { sent, push: (message: AdminStreamMessage) => act(() => onMessage(message)) };
}

describe('the Events page', () => {
  it('lists the events at once, newest first, in words with readable details and short ids', async () => {
    const { push } = renderEvents();
    const table = await screen.findByRole('table', { name: 'Events' });
    const rows = await within(table).findAllByRole('row');
    expect(rows.slice(1).map((row) => row.getAttribute('data-type'))).toEqual([
      'registered',
      'download-progress',
    ]);
    const [, registered, progress] = rows;
    expect(registered).toHaveTextContent('mac-finance-01');
    expect(registered).toHaveTextContent('Corporate VM registered');
    expect(registered).toHaveTextContent('Golden imageACME Windows 11 for Finance');
    expect(registered).toHaveTextContent('VM6f1c2a9e…');
    expect(registered).not.toHaveTextContent(VM);
    expect(progress).toHaveTextContent('Downloaded1.5 GB');
    expect(progress).toHaveTextContent('Size4 GB');
    expect(table).not.toHaveTextContent(/[{}"]|download-progress|goldenImageId/);

    push({
      type: 'event',
      deviceId: 'dev-1',
      event: {
        id: 'e3',
        type: 'checked-in',
        at: '2025-02-03T05:00:00.000Z',
        policyId: 'p',
        policyRevision: 3,
      },
    });
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent('Checked in');
  });

  it('narrows the list as soon as a type is chosen, with no button to press', async () => {
    const user = userEvent.setup();
    const { sent } = renderEvents();
    await screen.findByRole('table', { name: 'Events' });
    expect(screen.queryByRole('button', { name: /Show events/ })).toBeNull();
    await user.selectOptions(screen.getByLabelText('Event'), 'Corporate VM registered');
    await expect
      .poll(() =>
        screen
          .getAllByRole('row')
          .slice(1)
          .map((row) => row.getAttribute('data-type')),
      )
      .toEqual(['registered']);
    expect(sent.map((r) => r.path)).toContain(`${ADMIN}/events?limit=200&type=registered`);
  });
});
