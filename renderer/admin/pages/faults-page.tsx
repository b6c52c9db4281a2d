import { useState } from 'react';
import { FAULT_TYPES } from '../../../shared/faults.ts';
import { pageRefusal, type AdminClient, type ApiProblem } from '../api/admin-client.ts';
import type { FaultStatus } from '../api/admin-types.ts';
import { AddForm, useAdminList } from '../components/admin-list.tsx';
import { ApiErrorNotice } from '../components/api-error-notice.tsx';
import { TextAreaField } from '../components/choice-fields.tsx';
import { useFormErrors } from '../components/form-errors.tsx';
import { ResourceTable } from '../components/resource-table.tsx';

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

function specJson({ attempts, hits, ...spec }: FaultStatus): string {
  return JSON.stringify(spec);
}

// What the page can tell before sending: a spec must be an object with a known type.
function specProblems(spec: unknown): ApiProblem[] {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    return [{ code: 'BAD_REQUEST', path: '', reason: 'must be a JSON object' }];
  }
  const { type } = spec as { type?: unknown };
  if (typeof type === 'string' && (FAULT_TYPES as readonly string[]).includes(type)) return [];
  return [{ code: 'BAD_REQUEST', path: 'type', reason: '', options: FAULT_TYPES }];
}

/** The portal's active QA faults: list, add from a JSON spec or a preset, remove. */
export function FaultsPage({ client }: FaultsPageProps) {
  const list = useAdminList(() => client.call<{ faults: FaultStatus[] }>('GET', FAULTS));
  const [specText, setSpecText] = useState('');
  const [parseProblem, setParseProblem] = useState<string | undefined>(undefined);
  const [sent, setSent] = useState<Record<string, unknown>>({});
  const errors = useFormErrors(list.adding.error, { form: 'fault', sent });
  const faults = list.data?.faults;

  const add = (): void => {
    let spec: unknown;
    try {
      spec = JSON.parse(specText);
      setParseProblem(undefined);
    } catch (error) {
      setParseProblem(`The fault spec is not valid JSON: ${(error as Error).message}`);
      return;
    }
    setSent(typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : {});
    const found = specProblems(spec);
    if (found.length > 0) return list.adding.refuse(pageRefusal(found));
    list.add(() => client.call('POST', FAULTS, spec));
  };
  const edited = (text: string): void => {
    setSpecText(text);
    setParseProblem(undefined);
    errors.touched('spec');
  };
  const remove = (id?: string): void =>
    list.change(() =>
      client.call('DELETE', id === undefined ? FAULTS : `${FAULTS}/${encodeURIComponent(id)}`),
    );

  return (
    <>
      <ApiErrorNotice error={list.error} />
      {faults?.length === 0 && <p className="empty">No fault is active: the portal behaves.</p>}
      {faults && faults.length > 0 && (
        <ResourceTable
          label="Active faults"
          rows={faults}
          columns={[
            { header: 'Id', className: 'mono', cell: (fault) => fault.id },
            { header: 'Type', className: 'mono', cell: (fault) => fault.type },
            { header: 'Attempts', cell: (fault) => fault.attempts },
            { header: 'Applied', cell: (fault) => fault.hits },
            { header: 'Spec', className: 'mono details', cell: specJson },
          ]}
          nameOf={(fault) => fault.id}
          deleteLabel="Remove"
          onDelete={(fault) => remove(fault.id)}
        />
      )}
      <div className="actions">
        <button type="button" onClick={() => remove()} disabled={!faults?.length}>
          Remove all faults
        </button>
      </div>
      <ApiErrorNotice error={list.changing.error} />
      <AddForm
        title="Add a fault"
        submitLabel="Add fault"
        action={list.adding}
        errors={errors}
        onSubmit={add}
      >
        <div className="actions" role="group" aria-label="Presets">
          {FAULT_PRESETS.map((preset) => (
            <button
              key={preset.label}
              type="button"
              onClick={() => edited(JSON.stringify(preset.spec, null, 2))}
            >
              {preset.label}
            </button>
          ))}
        </div>
        <TextAreaField
          label="Fault spec (JSON)"
          value={specText}
          onChange={edited}
          rows={8}
          hint={
            'A fault as docs/faults.md describes it, like {"type": "latency", "latencyMs": 500}.'
          }
          error={parseProblem ?? errors.field('spec')}
        />
      </AddForm>
    </>
  );
}
