import { useState } from 'react';
import { SelectField, TextField } from '../../components/form-fields.tsx';
import type { AdminClient } from '../api/admin-client.ts';
import { LICENSE_STATES, type LicenseKey, type LicenseState } from '../api/admin-types.ts';
import { AddForm, useAdminList } from '../components/admin-list.tsx';
import { ApiErrorNotice } from '../components/api-error-notice.tsx';
import { ResourceTable } from '../components/resource-table.tsx';

/** Props of the License Keys page. */
export interface LicenseKeysPageProps {
  readonly client: AdminClient;
}

const STATE_OPTIONS = LICENSE_STATES.map((state) => ({
  value: state,
  label: state[0]!.toUpperCase() + state.slice(1),
}));
const KIND_WORDS = { primary: 'Primary', sublicense: 'Sublicense' } as const;
const KIND_OPTIONS = [
  { value: 'sublicense', label: 'Sublicense (for a group)' },
  { value: 'primary', label: 'Primary' },
];

/** The organisation's license keys: their state (active, expired, revoked), added and deleted. */
export function LicenseKeysPage({ client }: LicenseKeysPageProps) {
  const list = useAdminList(() =>
    client.admin<{ licenseKeys: LicenseKey[] }>('GET', '/license-keys'),
  );
  const [key, setKey] = useState('');
  const [kind, setKind] = useState<LicenseKey['kind']>('sublicense');
  const [state, setState] = useState<LicenseState>('active');
  const path = (entry: LicenseKey): string => `/license-keys/${encodeURIComponent(entry.key)}`;
  const add = (): void =>
    list.add(
      () => client.admin('POST', '/license-keys', { key: key.trim(), kind, state }),
      () => setKey(''),
    );
  const setKeyState = (entry: LicenseKey, next: string): void =>
    list.change(() => client.admin('PUT', path(entry), { kind: entry.kind, state: next }));
  const stateSelect = (entry: LicenseKey) => (
    <select
      aria-label={`State of ${entry.key}`}
      value={entry.state}
      onChange={(event) => setKeyState(entry, event.target.value)}
    >
      {STATE_OPTIONS.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );

  return (
    <>
      <ApiErrorNotice error={list.error} />
      <ResourceTable
        label="License keys"
        rows={list.data?.licenseKeys ?? []}
        columns={[
          { header: 'Key', className: 'mono', cell: (entry) => entry.key },
          { header: 'Kind', cell: (entry) => KIND_WORDS[entry.kind] },
          { header: 'State', cell: stateSelect },
        ]}
        nameOf={(entry) => entry.key}
        stateOf={(entry) => entry.state}
        onDelete={(entry) => list.change(() => client.admin('DELETE', path(entry)))}
      />
      <ApiErrorNotice error={list.changing.error} />
      <AddForm title="Add a license key" submitLabel="Add key" action={list.adding} onSubmit={add}>
        <TextField label="License key" value={key} onChange={setKey} placeholder="ACME-OPS-0007" />
        <SelectField
          label="Kind"
          value={kind}
          options={KIND_OPTIONS}
          onChange={(v) => setKind(v as LicenseKey['kind'])}
        />
        <SelectField
          label="State"
          value={state}
          options={STATE_OPTIONS}
          onChange={(v) => setState(v as LicenseState)}
        />
      </AddForm>
    </>
  );
}
