import { useState } from 'react';
import { assertNever } from '../../shared/assert-never.ts';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type { AgentProperties, Result } from '../../shared/ipc-contract.ts';
import { formatArch, formatBackend, formatDateTime } from '../model/format.ts';

/** Props of the agent properties view. */
export interface AgentPropertiesViewProps {
  readonly agent: AgentProperties;
  readonly onConnect: () => Promise<Result<{ readonly policyChanged: boolean }>>;
}

type ConnectStatus =
  | { kind: 'idle' | 'connecting' }
  | { kind: 'connected'; policyChanged: boolean }
  | { kind: 'failed'; sentence: string };

function statusText(status: ConnectStatus): string {
  switch (status.kind) {
    case 'idle':
      return '';
    case 'connecting':
      return 'Connecting to the portal…';
    case 'connected':
      return status.policyChanged
        ? 'Connected. A new policy was received.'
        : 'Connected. The policy has not changed.';
    case 'failed':
      return status.sentence;
    default:
      return assertNever(status);
  }
}

/** The agent's identity and last contact with the portal, with a button to check in now. */
export function AgentPropertiesView({ agent, onConnect }: AgentPropertiesViewProps) {
  const [status, setStatus] = useState<ConnectStatus>({ kind: 'idle' });

  async function connect() {
    setStatus({ kind: 'connecting' });
    const result = await onConnect();
    setStatus(
      result.ok
        ? { kind: 'connected', policyChanged: result.value.policyChanged }
        : { kind: 'failed', sentence: ERROR_SENTENCES[result.error.code] },
    );
  }

  return (
    <section aria-labelledby="agent-general" className="agent-properties">
      <h2 id="agent-general">General</h2>
      <dl className="facts">
        <dt>Unique identifier</dt>
        <dd className="mono">{agent.deviceId}</dd>
        <dt>Version</dt>
        <dd>{agent.version}</dd>
        <dt>Architecture</dt>
        <dd>{formatArch(agent.arch)}</dd>
        <dt>Virtualization backend</dt>
        <dd>{formatBackend(agent.backend)}</dd>
        <dt>Portal URL</dt>
        <dd className="mono">
          {agent.portalUrl}
          {agent.embeddedPortal && ' (built-in demo portal)'}
        </dd>
        <dt>Last connected</dt>
        <dd>{formatDateTime(agent.lastConnectedAt)}</dd>
        <dt>Policies received</dt>
        <dd>{formatDateTime(agent.policiesReceivedAt)}</dd>
        <dt>Policy revision</dt>
        <dd>{agent.policyRevision ?? 'None yet'}</dd>
      </dl>
      {agent.lastCheckInError && (
        <p className="inline-error">
          The last check-in failed. {ERROR_SENTENCES[agent.lastCheckInError.code]}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={connect}
          disabled={status.kind === 'connecting'}
        >
          Connect
        </button>
        <p role="status" className={status.kind === 'failed' ? 'inline-error' : 'hint'}>
          {statusText(status)}
        </p>
      </div>
    </section>
  );
}
