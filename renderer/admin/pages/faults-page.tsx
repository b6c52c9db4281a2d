import { useState, type FormEvent } from 'react';
import type { AdminClient } from '../api/admin-client.ts';
import type { FaultStatus } from '../api/admin-types.ts';
import { ApiErrorNotice, useAction, useLoad } from '../components/api-error-notice.tsx';
import { TextAreaField } from '../components/choice-fields.tsx';

/** Props of the Faults page. */
export interface FaultsPageProps {
  readonly client: AdminClient;
}

const FAULTS = '/api/v1/faults';

/** Ready-made fault specs a tester starts from (see docs/faults.md). */
export const FAULT_PRESETS: readonly { readonly label: string; readonly spec: object }[] = [
  {
    label: 'Image downloads fail twice (503)',
    spec: {
      id: 'busy',
      type: 'status',
      status: 503,
      retryAfter: 2,
      scope: { paths: ['/images/*'], attempts: { first: 2 } },
    },
  },
  {
    label: 'Slow downloads (1 MiB/s)',
    spec: { id: 'slow', type: 'bandwidth', bytesPerSec: 1048576, scope: { paths: ['/images/*'] } },
  },
  {
    label: 'Check-ins 2 s late',
    spec: { id: 'late', type: 'latency', latencyMs: 2000, scope: { paths: ['/api/v1/checkin'] } },
  },
  {
    label: 'Cut resumed downloads after 1 MiB',
    spec: {
      id: 'cut',
      type: 'truncate',
      atBytes: 1048576,
      scope: { paths: ['/images/*'], range: 'with' },
    },
  },
];

/** The portal's active QA faults: list, add from a JSON spec or a preset, remove. */
export function FaultsPage({ client }: FaultsPageProps) {
  const loaded = useLoad(() => client.call<{ faults: FaultStatus[] }>('GET', FAULTS));
  const [specText, setSpecText] = useState('');
  const [parseProblem, setParseProblem] = useState<string | undefined>(undefined);
  const adding = useAction();
  const removing = useAction();

  const add = (event: FormEvent): void => {
    event.preventDefault();
    let spec: unknown;
    try {
      spec = JSON.parse(specText);
      setParseProblem(undefined);
    } catch (error) {
      setParseProblem(`The fault spec is not valid JSON: ${(error as Error).message}`);
      return;
    }
    void adding.run(() => client.call('POST', FAULTS, spec), loaded.reload);
  };
  const remove = (id?: string): void =>
    void removing.run(
      () =>
        client.call('DELETE', id === undefined ? FAULTS : `${FAULTS}/${encodeURIComponent(id)}`),
      loaded.reload,
    );

  return (
    <>
      <ApiErrorNotice error={loaded.error} />
      {loaded.data?.faults.length === 0 && (
        <p className="empty">No fault is active: the portal behaves.</p>
      )}
      {loaded.data && loaded.data.faults.length > 0 && (
        <table className="admin-table" aria-label="Active faults">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Type</th>
              <th scope="col">Attempts</th>
              <th scope="col">Applied</th>
              <th scope="col">Spec</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.faults.map(({ attempts, hits, ...spec }) => (
              <tr key={spec.id}>
                <td className="mono">{spec.id}</td>
                <td className="mono">{spec.type}</td>
                <td>{attempts}</td>
                <td>{hits}</td>
                <td className="mono details">{JSON.stringify(spec)}</td>
                <td>
                  <button type="button" className="danger" onClick={() => remove(spec.id)}>
                    Remove<span className="visually-hidden"> {spec.id}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" onClick={() => remove()} disabled={!loaded.data?.faults.length}>
          Remove all faults
        </button>
      </div>
      <ApiErrorNotice error={removing.error} />
      <form className="card entry-form" aria-labelledby="add-fault" onSubmit={add} noValidate>
        <h2 id="add-fault">Add a fault</h2>
        <div className="actions" role="group" aria-label="Presets">
          {FAULT_PRESETS.map((preset) => (
            <button
              key={preset.label}
              type="button"
              onClick={() => setSpecText(JSON.stringify(preset.spec, null, 2))}
            >
              {preset.label}
            </button>
          ))}
        </div>
        <TextAreaField
          label="Fault spec (JSON)"
          value={specText}
          onChange={setSpecText}
          rows={8}
          hint={
            'A fault as docs/faults.md describes it, like {"type": "latency", "latencyMs": 500}.'
          }
          error={parseProblem}
        />
        <ApiErrorNotice error={adding.error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={adding.busy}>
            Add fault
          </button>
        </div>
      </form>
    </>
  );
}
