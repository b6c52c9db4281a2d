import { useState } from 'react';
import { SelectField, TextField } from '../../components/form-fields.tsx';
import { LICENSE_KEY_PATTERN } from '../../../shared/ipc-contract.ts';
import { pageRefusal, type AdminClient } from '../api/admin-client.ts';
import { LICENSE_STATES, type LicenseKey, type LicenseState } from '../api/admin-types.ts';
import { AddForm, useAdminList, type AdminList } from '../components/admin-list.tsx';
import { ApiErrorNotice } from '../components/api-error-notice.tsx';
import { useFormErrors } from '../components/form-errors.tsx';
import { ResourceTable } from '../components/resource-table.tsx';

/** Props of the License Keys page. */
export interface LicenseKeysPageProps {
  readonly client: AdminClient;
}

const STATE_WORDS: Readonly<Record<LicenseState, string>> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
};
const STATE_OPTIONS = LICENSE_STATES.map((state) => ({ value: state, label: STATE_WORDS[state] }));
const KIND_WORDS = { primary: 'Primary', sublicense: 'Sublicense' } as const;
const KIND_OPTIONS = [
  { value: 'sublicense', label: 'Sublicense (for a group)' },
  { value: 'primary', label: 'Primary' },
];

const path = (entry: LicenseKey): string => `/license-keys/${encodeURIComponent(entry.key)}`;

/** The organisation's license keys: their kind and state, added, edited in place and deleted. */
export function LicenseKeysPage({ client }: LicenseKeysPageProps) {
  const list = useAdminList(() =>
    client.admin<{ licenseKeys: LicenseKey[] }>('GET', '/license-keys'),
  );
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | undefined>(undefined);

  return (
    <>
      <ApiErrorNotice error={list.error} />
      <ResourceTable
        label="License keys"
        rows={list.data?.licenseKeys ?? []}
        columns={[
          { header: 'Key', className: 'mono', cell: (entry) => entry.key },
          { header: 'Kind', cell: (entry) => KIND_WORDS[entry.kind] },
          { header: 'State', cell: (entry) => STATE_WORDS[entry.state] },
        ]}
        nameOf={(entry) => entry.key}
        stateOf={(entry) => entry.state}
        onEdit={(entry) => {
          list.editing.clear();
          setEditing(entry.key);
        }}
        editingKey={editing}
        editor={(entry) => (
          <KeyForm
            key={entry.key}
            list={list}
            entry={entry}
            onDone={() => setEditing(null)}
            send={({ kind, state }) => client.admin('PUT', path(entry), { kind, state })}
          />
        )}
        onDelete={(entry) => {
          setDeleting(entry.key);
          list.change(() => client.admin('DELETE', path(entry)));
        }}
      />
      <ApiErrorNotice error={list.changing.error} context={{ form: 'list', subject: deleting }} />
      <KeyForm list={list} send={(body) => client.admin('POST', '/license-keys', body)} />
    </>
  );
}

type KeyBody = Pick<LicenseKey, 'key' | 'kind' | 'state'>;

interface KeyFormProps {
  readonly list: AdminList<{ licenseKeys: LicenseKey[] }>;
  /** The key being edited in place (its kind and state); absent for the form that adds one. */
  readonly entry?: LicenseKey;
  readonly send: (body: KeyBody) => Promise<unknown>;
  readonly onDone?: () => void;
}

function KeyForm({ list, entry, send, onDone }: KeyFormProps) {
  const [key, setKey] = useState('');
  const [kind, setKind] = useState<LicenseKey['kind']>(entry?.kind ?? 'sublicense');
  const [state, setState] = useState<LicenseState>(entry?.state ?? 'active');
  const [sent, setSent] = useState<Record<string, unknown>>({});
  const action = entry ? list.editing : list.adding;
  const errors = useFormErrors(action.error, { form: 'license-key', sent });
  const submit = (): void => {
    const body = { key: entry?.key ?? key.trim(), kind, state };
    setSent(body);
    // The Control Center refuses any other format: a key it cannot take is no use to anyone.
    if (!entry && !LICENSE_KEY_PATTERN.test(body.key)) {
      const reason = body.key === '' ? 'is required' : 'is not a license key';
      action.refuse(pageRefusal([{ code: 'BAD_REQUEST', path: 'key', reason }]));
      return;
    }
    (entry ? list.edit : list.add)(
      () => send(body),
      () => {
        setKey('');
        onDone?.();
      },
    );
  };
  return (
    <AddForm
      title={entry ? `Edit ${entry.key}` : 'Add a license key'}
      submitLabel={entry ? 'Save' : 'Add key'}
      action={action}
      errors={errors}
      onSubmit={submit}
      onCancel={onDone}
      className={entry ? 'inline-form' : undefined}
    >
      {!entry && (
        <TextField
          label="License key"
          value={key}
          onChange={(value) => {
            setKey(value);
            errors.touched('key');
          }}
          placeholder="ACME-OPS-0007"
          hint="Capital letters and digits in groups joined by dashes, as users enter it in the Control Center."
          error={errors.field('key')}
        />
      )}
      <SelectField
        label="Kind"
        value={kind}
        options={KIND_OPTIONS}
        onChange={(value) => setKind(value as LicenseKey['kind'])}
        error={errors.field('kind')}
      />
      <SelectField
        label="State"
        value={state}
        options={STATE_OPTIONS}
        onChange={(value) => setState(value as LicenseState)}
        error={errors.field('state')}
      />
    </AddForm>
  );
}
