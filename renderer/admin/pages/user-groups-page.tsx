import { useState } from 'react';
import { SelectField, TextField } from '../../components/form-fields.tsx';
import type { AdminClient } from '../api/admin-client.ts';
import type { LicenseKey, UserGroup } from '../api/admin-types.ts';
import { AddForm, useAdminList, type AdminList } from '../components/admin-list.tsx';
import { ApiErrorNotice } from '../components/api-error-notice.tsx';
import { useFormErrors } from '../components/form-errors.tsx';
import { ResourceTable } from '../components/resource-table.tsx';

/** Props of the User Groups page. */
export interface UserGroupsPageProps {
  readonly client: AdminClient;
}

interface GroupsData {
  readonly groups: readonly UserGroup[];
  readonly keys: readonly LicenseKey[];
}

const path = (group: UserGroup): string => `/user-groups/${encodeURIComponent(group.id)}`;

/** The user groups, each activated with its own sublicense key; add, edit and delete them. */
export function UserGroupsPage({ client }: UserGroupsPageProps) {
  const list = useAdminList<GroupsData>(async () => {
    const [groups, keys] = await Promise.all([
      client.admin<{ userGroups: UserGroup[] }>('GET', '/user-groups'),
      client.admin<{ licenseKeys: LicenseKey[] }>('GET', '/license-keys'),
    ]);
    return { groups: groups.userGroups, keys: keys.licenseKeys };
  });
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | undefined>(undefined);
  const groups = list.data?.groups ?? [];

  return (
    <>
      <ApiErrorNotice error={list.error} />
      <ResourceTable
        label="User groups"
        rows={groups}
        columns={[
          { header: 'Name', cell: (group) => group.name },
          { header: 'Id', className: 'mono', cell: (group) => group.id },
          { header: 'License key', className: 'mono', cell: (group) => group.licenseKey },
        ]}
        keyOf={(group) => group.id}
        nameOf={(group) => group.name}
        onEdit={(group) => {
          list.editing.clear();
          setEditing(group.id);
        }}
        editingKey={editing}
        editor={(group) => (
          <GroupForm
            key={group.id}
            list={list}
            group={group}
            onDone={() => setEditing(null)}
            send={(body) => client.admin('PUT', path(group), body)}
          />
        )}
        onDelete={(group) => {
          setDeleting(group.name);
          list.change(() => client.admin('DELETE', path(group)));
        }}
      />
      <ApiErrorNotice error={list.changing.error} context={{ form: 'list', subject: deleting }} />
      <GroupForm list={list} send={(body) => client.admin('POST', '/user-groups', body)} />
    </>
  );
}

interface GroupFormProps {
  readonly list: AdminList<GroupsData>;
  /** The group being edited in place; absent for the form that adds one. */
  readonly group?: UserGroup;
  readonly send: (body: { name: string; licenseKey: string }) => Promise<unknown>;
  readonly onDone?: () => void;
}

// The add form under the table, or the row being edited: a name and a free sublicense key.
function GroupForm({ list, group, send, onDone }: GroupFormProps) {
  const [name, setName] = useState(group?.name ?? '');
  const [licenseKey, setLicenseKey] = useState(group?.licenseKey ?? '');
  const [sent, setSent] = useState<Record<string, unknown>>({});
  const action = group ? list.editing : list.adding;
  const groups = list.data?.groups ?? [];
  const errors = useFormErrors(action.error, { form: 'user-group', sent });
  // A key another group uses is no choice: each group needs its own.
  const taken = new Set(groups.filter((g) => g.id !== group?.id).map((g) => g.licenseKey));
  const free = (list.data?.keys ?? []).filter((k) => k.kind === 'sublicense' && !taken.has(k.key));
  const keyOptions = [
    { value: '', label: 'Choose a sublicense key' },
    ...free.map((k) => ({ value: k.key, label: k.key })),
  ];
  const submit = (): void => {
    const body = { name, licenseKey };
    setSent(body);
    const run = group ? list.edit : list.add;
    run(
      () => send(body),
      () => {
        setName('');
        setLicenseKey('');
        onDone?.();
      },
    );
  };
  return (
    <AddForm
      title={group ? `Edit ${group.name}` : 'Add a user group'}
      submitLabel={group ? 'Save' : 'Add group'}
      action={action}
      errors={errors}
      onSubmit={submit}
      onCancel={onDone}
      className={group ? 'inline-form' : undefined}
    >
      <TextField
        label="Group name"
        value={name}
        onChange={(value) => {
          setName(value);
          errors.touched('name');
        }}
        error={errors.field('name')}
      />
      <SelectField
        label="Sublicense key"
        value={licenseKey}
        options={keyOptions}
        onChange={(value) => {
          setLicenseKey(value);
          errors.touched('licenseKey');
        }}
        hint="Users activated with this key belong to the group. Keys other groups use are not listed."
        error={errors.field('licenseKey')}
      />
    </AddForm>
  );
}
