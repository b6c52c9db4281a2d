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
    expect(screen.getByText(/1 event waits to be sent/)).toBeInTheDocument();
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
});
