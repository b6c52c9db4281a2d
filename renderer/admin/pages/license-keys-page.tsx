import { useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../../components/form-fields.tsx';
import type { AdminClient } from '../api/admin-client.ts';
import { LICENSE_STATES, type LicenseKey, type LicenseState } from '../api/admin-types.ts';
import { ApiErrorNotice, useAction, useLoad } from '../components/api-error-notice.tsx';

/** Props of the License Keys page. */
export interface LicenseKeysPageProps {
  readonly client: AdminClient;
}

const STATE_OPTIONS = LICENSE_STATES.map((state) => ({
  value: state,
  label: state[0]!.toUpperCase() + state.slice(1),
}));
const KIND_OPTIONS = [
  { value: 'sublicense', label: 'Sublicense (for a group)' },
  { value: 'primary', label: 'Primary' },
];

/** The organisation's license keys: their state (active, expired, revoked), added and deleted. */
export function LicenseKeysPage({ client }: LicenseKeysPageProps) {
  const loaded = useLoad(() => client.admin<{ licenseKeys: LicenseKey[] }>('GET', '/license-keys'));
  const [key, setKey] = useState('');
  const [kind, setKind] = useState<LicenseKey['kind']>('sublicense');
  const [state, setState] = useState<LicenseState>('active');
  const adding = useAction();
  const changing = useAction();
  const path = (entry: LicenseKey): string => `/license-keys/${encodeURIComponent(entry.key)}`;

  const add = (event: FormEvent): void => {
    event.preventDefault();
    void adding.run(
      () => client.admin('POST', '/license-keys', { key: key.trim(), kind, state }),
      () => {
        setKey('');
        loaded.reload();
      },
    );
  };
  const setKeyState = (entry: LicenseKey, next: string): void =>
    void changing.run(
      () => client.admin('PUT', path(entry), { kind: entry.kind, state: next }),
      loaded.reload,
    );
  const remove = (entry: LicenseKey): void =>
    void changing.run(() => client.admin('DELETE', path(entry)), loaded.reload);

  return (
    <>
      <ApiErrorNotice error={loaded.error} />
      <table className="admin-table" aria-label="License keys">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Kind</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {loaded.data?.licenseKeys.map((entry) => (
            <tr key={entry.key} data-state={entry.state}>
              <td className="mono">{entry.key}</td>
              <td>{entry.kind === 'primary' ? 'Primary' : 'Sublicense'}</td>
              <td>
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
              </td>
              <td>
                <button type="button" className="danger" onClick={() => remove(entry)}>
                  Delete<span className="visually-hidden"> {entry.key}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ApiErrorNotice error={changing.error} />
      <form className="card entry-form" aria-labelledby="add-key" onSubmit={add} noValidate>
        <h2 id="add-key">Add a license key</h2>
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
        <ApiErrorNotice error={adding.error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={adding.busy}>
            Add key
          </button>
        </div>
      </form>
    </>
  );
}
