import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AdminStreamMessage } from '../../../shared/admin-fleet.ts';
import { createAdminClient } from '../../../renderer/admin/api/admin-client.ts';
import type { StreamSubscription } from '../../../renderer/admin/api/admin-stream.ts';
import { EventsPage } from '../../../renderer/admin/pages/events-page.tsx';
import { fakeClient, fakePortal, someDevice } from './fake-portal.ts';

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

  describe('while the events of a new filter are on their way', () => {
    // The portal answers the first load at once and holds every filtered one until released.
    function renderWithHeldReload() {
      const portal = fakePortal({
        [`GET ${ADMIN}/events?limit=200`]: { status: 200, body: { events: stored, total: 2 } },
        [`GET ${ADMIN}/events?limit=200&type=registered`]: {
          status: 200,
          body: { events: [stored[1]], total: 1 },
        },
        [`GET ${ADMIN}/events?limit=200&type=checked-in`]: {
          status: 200,
          body: { events: [], total: 0 },
        },
        [`GET ${ADMIN}/devices`]: { status: 200, body: { devices: [someDevice()] } },
        [`GET ${ADMIN}/golden-images`]: { status: 200, body: { goldenImages: [] } },
      });
      const held: (() => void)[] = [];
      const client = createAdminClient({
        baseUrl: 'http://portal.test',
        token: 'tok',
        fetch: async (url: string, init: RequestInit) => {
          if (url.includes('type=')) await new Promise<void>((release) => held.push(release));
          return portal.fetch(url, init);
        },
        onUnauthorized: () => undefined,
      });
      render(<EventsPage client={client} subscribe={() => () => undefined} />);
      return {
        held,
        release: () => act(async () => held.splice(0).forEach((release) => release())),
      };
    }
    const shownTypes = () =>
      screen
        .queryAllByRole('row')
        .slice(1)
        .map((row) => row.getAttribute('data-type'));

    it('shows none of the events of the old filter that the new one leaves out', async () => {
      const user = userEvent.setup();
      const { held, release } = renderWithHeldReload();
      await waitFor(() => expect(shownTypes()).toEqual(['registered', 'download-progress']));
      await user.selectOptions(screen.getByLabelText('Event'), 'Corporate VM registered');
      await waitFor(() => expect(held).toHaveLength(1));
      expect(shownTypes()).toEqual(['registered']);

      await release();
      expect(shownTypes()).toEqual(['registered']);
    });

    it('says no event matches only once the portal has answered for the new filter', async () => {
      const user = userEvent.setup();
      const { held, release } = renderWithHeldReload();
      await waitFor(() => expect(shownTypes()).toHaveLength(2));
      await user.selectOptions(screen.getByLabelText('Event'), 'Checked in');
      await waitFor(() => expect(held).toHaveLength(1));
      expect(shownTypes()).toEqual([]);
      expect(screen.queryByText('No events match these filters.')).toBeNull();

      await release();
      expect(await screen.findByText('No events match these filters.')).toBeVisible();
    });
  });
});
