import { useState } from 'react';
import { SelectField, TextField } from '../../components/form-fields.tsx';
import type { AdminClient } from '../api/admin-client.ts';
import type { LicenseKey, UserGroup } from '../api/admin-types.ts';
import { AddForm, useAdminList } from '../components/admin-list.tsx';
import { ApiErrorNotice, problemAt } from '../components/api-error-notice.tsx';
import { ResourceTable } from '../components/resource-table.tsx';

/** Props of the User Groups page. */
export interface UserGroupsPageProps {
  readonly client: AdminClient;
}

/** The user groups, each activated with its own sublicense key; add and delete them. */
export function UserGroupsPage({ client }: UserGroupsPageProps) {
  const list = useAdminList(async () => {
    const [groups, keys] = await Promise.all([
      client.admin<{ userGroups: UserGroup[] }>('GET', '/user-groups'),
      client.admin<{ licenseKeys: LicenseKey[] }>('GET', '/license-keys'),
    ]);
    return { groups: groups.userGroups, keys: keys.licenseKeys };
  });
  const [name, setName] = useState('');
  const [licenseKey, setLicenseKey] = useState('');
  const sublicenses = (list.data?.keys ?? []).filter((k) => k.kind === 'sublicense');
  const keyOptions = [
    { value: '', label: 'Choose a sublicense key' },
    ...sublicenses.map((k) => ({ value: k.key, label: k.key })),
  ];
  const path = (group: UserGroup): string => `/user-groups/${encodeURIComponent(group.id)}`;
  const add = (): void =>
    list.add(
      () => client.admin('POST', '/user-groups', { name, licenseKey }),
      () => {
        setName('');
        setLicenseKey('');
      },
    );

  return (
    <>
      <ApiErrorNotice error={list.error} />
      <ResourceTable
        label="User groups"
        rows={list.data?.groups ?? []}
        columns={[
          { header: 'Name', cell: (group) => group.name },
          { header: 'Id', className: 'mono', cell: (group) => group.id },
          { header: 'License key', className: 'mono', cell: (group) => group.licenseKey },
        ]}
        keyOf={(group) => group.id}
        nameOf={(group) => group.name}
        onDelete={(group) => list.change(() => client.admin('DELETE', path(group)))}
      />
      <ApiErrorNotice error={list.changing.error} />
      <AddForm title="Add a user group" submitLabel="Add group" action={list.adding} onSubmit={add}>
        <TextField
          label="Group name"
          value={name}
          onChange={setName}
          error={problemAt(list.adding.error, 'name')}
        />
        <SelectField
          label="Sublicense key"
          value={licenseKey}
          options={keyOptions}
          onChange={setLicenseKey}
          hint="Users activated with this key belong to the group."
        />
      </AddForm>
    </>
  );
}
