import { useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../../components/form-fields.tsx';
import type { AdminClient } from '../api/admin-client.ts';
import type { LicenseKey, UserGroup } from '../api/admin-types.ts';
import { ApiErrorNotice, problemAt, useAction, useLoad } from '../components/api-error-notice.tsx';

/** Props of the User Groups page. */
export interface UserGroupsPageProps {
  readonly client: AdminClient;
}

/** The user groups, each activated with its own sublicense key; add and delete them. */
export function UserGroupsPage({ client }: UserGroupsPageProps) {
  const loaded = useLoad(async () => {
    const [groups, keys] = await Promise.all([
      client.admin<{ userGroups: UserGroup[] }>('GET', '/user-groups'),
      client.admin<{ licenseKeys: LicenseKey[] }>('GET', '/license-keys'),
    ]);
    return { groups: groups.userGroups, keys: keys.licenseKeys };
  });
  const [name, setName] = useState('');
  const [licenseKey, setLicenseKey] = useState('');
  const adding = useAction();
  const removing = useAction();
  const sublicenses = (loaded.data?.keys ?? []).filter((k) => k.kind === 'sublicense');
  const keyOptions = [
    { value: '', label: 'Choose a sublicense key' },
    ...sublicenses.map((k) => ({ value: k.key, label: k.key })),
  ];

  const add = (event: FormEvent): void => {
    event.preventDefault();
    void adding.run(
      () => client.admin('POST', '/user-groups', { name, licenseKey }),
      () => {
        setName('');
        setLicenseKey('');
        loaded.reload();
      },
    );
  };
  const remove = (group: UserGroup): void =>
    void removing.run(
      () => client.admin('DELETE', `/user-groups/${encodeURIComponent(group.id)}`),
      loaded.reload,
    );

  return (
    <>
      <ApiErrorNotice error={loaded.error} />
      <table className="admin-table" aria-label="User groups">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Id</th>
            <th scope="col">License key</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {loaded.data?.groups.map((group) => (
            <tr key={group.id}>
              <td>{group.name}</td>
              <td className="mono">{group.id}</td>
              <td className="mono">{group.licenseKey}</td>
              <td>
                <button type="button" className="danger" onClick={() => remove(group)}>
                  Delete<span className="visually-hidden"> {group.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ApiErrorNotice error={removing.error} />
      <form className="card entry-form" aria-labelledby="add-group" onSubmit={add} noValidate>
        <h2 id="add-group">Add a user group</h2>
        <TextField
          label="Group name"
          value={name}
          onChange={setName}
          error={problemAt(adding.error, 'name')}
        />
        <SelectField
          label="Sublicense key"
          value={licenseKey}
          options={keyOptions}
          onChange={setLicenseKey}
          hint="Users activated with this key belong to the group."
        />
        <ApiErrorNotice error={adding.error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={adding.busy}>
            Add group
          </button>
        </div>
      </form>
    </>
  );
}
