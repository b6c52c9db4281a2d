import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type { Result } from '../../shared/ipc-contract.ts';
import { ActivityView } from '../../renderer/views/activity-view.tsx';
import { AgentPropertiesView } from '../../renderer/views/agent-properties-view.tsx';
import { anEvent } from './contract-fixtures.ts';
import { anAppState } from './fixtures.ts';

type ConnectResult = Result<{ readonly policyChanged: boolean }>;

describe('AgentPropertiesView', () => {
  it('lists the identifier, version, portal URL and policy revision', () => {
    const agent = { ...anAppState().agent, policyRevision: 7 };
    render(<AgentPropertiesView agent={agent} onConnect={vi.fn()} />);
    expect(screen.getByText('Unique identifier').nextElementSibling).toHaveTextContent(
      agent.deviceId,
    );
    expect(screen.getByText('Version').nextElementSibling).toHaveTextContent('0.1.0');
    expect(screen.getByText('Portal URL').nextElementSibling).toHaveTextContent(
      'https://portal.example.com',
    );
    expect(screen.getByText('Last connected').nextElementSibling).toHaveTextContent('Never');
    expect(screen.getByText('Policy revision').nextElementSibling).toHaveTextContent('7');
  });

  it('names the virtualization backend in use', () => {
    const agent = { ...anAppState().agent, backend: 'parallels' as const };
    render(<AgentPropertiesView agent={agent} onConnect={vi.fn()} />);
    expect(screen.getByText('Virtualization backend').nextElementSibling).toHaveTextContent(
      /^Parallels Desktop$/,
    );
  });

  it('says whether Connect brought a new policy', async () => {
    const user = userEvent.setup();
    const onConnect = vi.fn(async (): Promise<ConnectResult> => ({
      ok: true,
      value: { policyChanged: true },
    }));
    render(<AgentPropertiesView agent={anAppState().agent} onConnect={onConnect} />);
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('Connected. A new policy was received.')).toBeInTheDocument();
  });

  it('shows the sentence for the code when Connect fails', async () => {
    const user = userEvent.setup();
    const onConnect = vi.fn(async (): Promise<ConnectResult> => ({
      ok: false,
      error: { code: 'PORTAL_UNREACHABLE', message: 'ECONNREFUSED', retryable: true },
    }));
    render(<AgentPropertiesView agent={anAppState().agent} onConnect={onConnect} />);
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText(ERROR_SENTENCES.PORTAL_UNREACHABLE)).toBeInTheDocument();
  });
});

describe('ActivityView', () => {
  it('lists events in words with their delivery state and counts what waits', () => {
    render(
      <ActivityView
        entries={[
          { event: anEvent('e2', 'download-started', 1), delivery: 'pending' },
          { event: anEvent('e1', 'accepted', 0), delivery: 'delivered' },
        ]}
      />,
    );
    const [, started, accepted] = screen.getAllByRole('row');
    expect(started).toHaveTextContent(/Download started.*Waiting to be sent/);
    expect(accepted).toHaveTextContent(/Invitation accepted.*Sent to the portal/);
    expect(screen.getByText(/^1 event waiting to be sent/)).toBeInTheDocument();
  });

  it('says in plain words when the portal has every event', () => {
    render(
      <ActivityView entries={[{ event: anEvent('e1', 'accepted', 0), delivery: 'delivered' }]} />,
    );
    expect(screen.getByText('All events sent to the portal.')).toBeInTheDocument();
  });

  it('lets the keyboard reach the list, which scrolls on its own', () => {
    render(
      <ActivityView entries={[{ event: anEvent('e1', 'accepted', 0), delivery: 'pending' }]} />,
    );
    const region = screen.getByRole('region', { name: 'Agent events' });
    expect(region).toHaveAttribute('tabindex', '0');
    expect(region).toContainElement(screen.getByRole('table'));
  });

  it('calls a paused download paused, and a cancelled one cancelled', () => {
    const stopped = (id: string, code: string, minute: number) => ({
      event: { ...anEvent(id, 'download-failed', minute), error: { code, message: '' } },
      delivery: 'delivered' as const,
    });
    render(<ActivityView entries={[stopped('e1', 'PAUSED', 0), stopped('e2', 'CANCELLED', 1)]} />);
    const [, paused, cancelled] = screen.getAllByRole('row');
    expect(paused).toHaveTextContent(/Download paused.*kept for Resume/);
    expect(cancelled).toHaveTextContent(/Download cancelled/);
    expect(screen.queryByText(/Download failed|CANCELLED|PAUSED/)).not.toBeInTheDocument();
  });

  it('folds the progress reports of a download into one row with the latest figures', () => {
    const report = (id: string, minute: number, transferred: number) => ({
      event: { ...anEvent(id, 'download-progress', minute), transferred, total: 8_000_000_000 },
      delivery: 'delivered' as const,
    });
    const { rerender } = render(
      <ActivityView entries={[report('p1', 1, 1_000_000_000), report('p2', 2, 2_000_000_000)]} />,
    );
    const row = screen.getByRole('row', { name: /Download progress/ });
    expect(row).toHaveTextContent('2 GB of 8 GB');
    rerender(
      <ActivityView
        entries={[
          report('p1', 1, 1_000_000_000),
          report('p2', 2, 2_000_000_000),
          report('p3', 3, 3_000_000_000),
          { event: anEvent('f1', 'download-finished', 4), delivery: 'pending' },
        ]}
      />,
    );
    expect(screen.getAllByRole('row', { name: /Download progress/ })).toEqual([row]);
    expect(row).toHaveTextContent('3 GB of 8 GB');
  });

  it('details an event with the image or VM it names, or the code it failed with', () => {
    const invited = { ...anEvent('e1', 'invited', 0), name: 'ACME Windows 11' };
    render(
      <ActivityView
        entries={[
          { event: invited, delivery: 'delivered' },
          { event: anEvent('e2', 'download-failed', 1), delivery: 'delivered' },
          { event: anEvent('e3', 'accepted', 2), delivery: 'delivered' },
        ]}
      />,
    );
    const cells = screen
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.children[2]);
    expect(cells.map((cell) => cell?.textContent)).toEqual([
      'ACME Windows 11',
      'DOWNLOAD_FAILED',
      '',
    ]);
  });

  it('tells an update in words: offered, the choice made, and whether the previous VM went', () => {
    const offered = { ...anEvent('u1', 'update-offered', 0), sizeBytes: 8_000_000_000 };
    const kept = { ...anEvent('u3', 'updated', 2), previousRemoved: false };
    render(
      <ActivityView
        entries={[
          { event: offered, delivery: 'delivered' },
          { event: anEvent('u2', 'update-accepted', 1), delivery: 'delivered' },
          { event: kept, delivery: 'pending' },
          { event: anEvent('u4', 'update-declined', 3), delivery: 'delivered' },
        ]}
      />,
    );
    const rows = screen
      .getAllByRole('row')
      .slice(1)
      .map((row) => [row.children[1]?.textContent, row.children[2]?.textContent]);
    expect(rows).toEqual([
      ['Offered an update of a corporate VM', 'ACME Dev, 8 GB'],
      ['Update accepted', 'Replace the previous VM'],
      ['VM updated', 'ACME Dev; the previous VM is kept'],
      ['Update postponed', 'The previous VM is kept as it is'],
    ]);
  });
});
