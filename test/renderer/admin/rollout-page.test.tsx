import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AdminStreamMessage } from '../../../shared/admin-fleet.ts';
import type { RolloutSummary } from '../../../shared/admin-rollout.ts';
import type { StreamState, StreamSubscription } from '../../../renderer/admin/api/admin-stream.ts';
import { duration } from '../../../renderer/admin/pages/rollout-card.tsx';
import { RolloutPage } from '../../../renderer/admin/pages/rollout-page.tsx';
import { fakeClient, fail, type FakeAnswer } from './fake-portal.ts';

function rollout(change: Partial<RolloutSummary> = {}): RolloutSummary {
  return {
    goldenImageId: 'win11',
    name: 'ACME Windows 11',
    inOrg: true,
    offered: 10,
    accepted: 7,
    stages: {
      unanswered: 1,
      declined: 2,
      accepted: 0,
      downloading: 3,
      installing: 0,
      registered: 2,
      failed: 2,
    },
    failures: [{ code: 'INSUFFICIENT_DISK_SPACE', macs: 2 }],
    timeToVm: { samples: 2, p50Ms: 12 * 60_000 + 5_000, p90Ms: 3_600_000, p99Ms: 3_720_000 },
    ...change,
  };
}

function renderPage(answer: FakeAnswer = { status: 200, body: { rollouts: [rollout()] } }) {
  const { client } = fakeClient({ 'GET /api/v1/admin/rollouts': answer });
  let push: (message: AdminStreamMessage) => void = () => undefined;
  let state: (value: StreamState) => void = () => undefined;
  const subscribe: StreamSubscription = (onMessage, onState) => {
    push = (message) => act(() => onMessage(message));
    state = (value) => act(() => onState(value));
    return () => undefined;
  };
  render(<RolloutPage client={client} subscribe={subscribe} />);
  return { push: (m: AdminStreamMessage) => push(m), state: (s: StreamState) => state(s) };
}

const row = (card: HTMLElement, label: string) =>
  within(card).getByRole('row', { name: new RegExp(`^${label}`) });

describe('RolloutPage', () => {
  it('shows each golden image’s funnel in the page’s words, with a bar per row', async () => {
    renderPage();
    const card = await screen.findByRole('listitem', { name: 'ACME Windows 11' });
    expect(row(card, 'Offered')).toHaveTextContent('10');
    expect(row(card, 'Accepted')).toHaveTextContent('7');
    expect(row(card, 'Declined')).toHaveTextContent('2');
    expect(row(card, 'Downloading')).toHaveTextContent('3');
    expect(row(card, 'Registered')).toHaveTextContent('2');
    expect(row(card, 'Failed')).toHaveTextContent('2');
    const bar = within(row(card, 'Downloading')).getByRole('meter');
    expect(bar).toHaveAttribute('value', '3');
    expect(bar).toHaveAttribute('max', '10');
    expect(card).not.toHaveTextContent('download-started');
  });

  it('lists failures by code with their sentence, and the time-to-VM percentiles', async () => {
    renderPage();
    const card = await screen.findByRole('listitem', { name: 'ACME Windows 11' });
    const failure = within(card).getByText('INSUFFICIENT_DISK_SPACE').closest('li')!;
    expect(failure).toHaveTextContent('2 Macs');
    expect(failure).toHaveTextContent('not enough free disk space');
    expect(card).toHaveTextContent('Median (p50)12 min 5 s');
    expect(card).toHaveTextContent('p901 h');
    expect(card).toHaveTextContent('p991 h 2 min');
    expect(card).toHaveTextContent('over 2 Macs');
  });

  it('follows the stream: a Mac that registered moves the counts at once', async () => {
    const { push, state } = renderPage();
    await screen.findByRole('listitem', { name: 'ACME Windows 11' });
    state('live');
    expect(screen.getByRole('status')).toHaveAttribute('data-state', 'live');
    const stages = { ...rollout().stages, downloading: 2, registered: 3 };
    push({ type: 'rollouts', rollouts: [rollout({ stages })] });
    const card = screen.getByRole('listitem', { name: 'ACME Windows 11' });
    expect(row(card, 'Registered')).toHaveTextContent('3');
    expect(row(card, 'Downloading')).toHaveTextContent('2');
  });

  it('says so for an image not offered yet, and for an organisation without images', async () => {
    const { push } = renderPage({
      status: 200,
      body: { rollouts: [rollout({ offered: 0, accepted: 0, failures: [], timeToVm: null })] },
    });
    const card = await screen.findByRole('listitem', { name: 'ACME Windows 11' });
    expect(card).toHaveTextContent('Not offered to any Mac yet.');
    expect(within(card).queryByRole('table')).toBeNull();
    push({ type: 'rollouts', rollouts: [] });
    expect(screen.getByText(/No golden images yet/)).toBeVisible();
  });

  it('says in the page’s words why the rollouts cannot be loaded', async () => {
    renderPage(fail(403, 'FORBIDDEN', 'The admin API is off: start it with --admin-token.'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This portal was started without an admin token',
    );
  });
});

describe('duration', () => {
  it('reads as an admin would say it', () => {
    expect(duration(850)).toBe('850 ms');
    expect(duration(42_000)).toBe('42 s');
    expect(duration(12 * 60_000)).toBe('12 min');
    expect(duration(2 * 3_600_000 + 3 * 60_000)).toBe('2 h 3 min');
  });
});
