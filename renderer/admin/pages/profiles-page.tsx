import { useState } from 'react';
import type { AdminClient } from '../api/admin-client.ts';
import type { ConfigurationProfile, LicenseKey, UserGroup } from '../api/admin-types.ts';
import { useAdminList } from '../components/admin-list.tsx';
import { ApiErrorNotice } from '../components/api-error-notice.tsx';
import { ProfileCards } from './profile-cards.tsx';
import { ProfileForm, type ProfilesData } from './profile-form.tsx';

/** Props of the Configuration Profiles page. */
export interface ProfilesPageProps {
  readonly client: AdminClient;
}

const path = (profile: ConfigurationProfile): string =>
  `/configuration-profiles/${encodeURIComponent(profile.id)}`;

/** Business Edition configuration profiles: settings applied to groups or to license keys. */
export function ProfilesPage({ client }: ProfilesPageProps) {
  const list = useAdminList<ProfilesData>(async () => {
    const [profiles, groups, keys] = await Promise.all([
      client.admin<{ configurationProfiles: ConfigurationProfile[] }>(
        'GET',
        '/configuration-profiles',
      ),
      client.admin<{ userGroups: UserGroup[] }>('GET', '/user-groups'),
      client.admin<{ licenseKeys: LicenseKey[] }>('GET', '/license-keys'),
    ]);
    return {
      profiles: profiles.configurationProfiles,
      groups: groups.userGroups,
      keys: keys.licenseKeys,
    };
  });
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <>
      <ApiErrorNotice error={list.error} />
      {list.data?.profiles.length === 0 && <p className="empty">No configuration profiles yet.</p>}
      <ProfileCards
        profiles={list.data?.profiles ?? []}
        groups={list.data?.groups ?? []}
        editing={editing}
        editor={(profile) => (
          <ProfileForm
            list={list}
            profile={profile}
            onDone={() => setEditing(null)}
            send={(body) => client.admin('PUT', path(profile), body)}
          />
        )}
        onEdit={(profile) => {
          list.editing.clear();
          setEditing(profile.id);
        }}
        onDelete={(profile) => list.change(() => client.admin('DELETE', path(profile)))}
      />
      <ApiErrorNotice error={list.changing.error} />
      <ProfileForm
        list={list}
        send={(body) => client.admin('POST', '/configuration-profiles', body)}
      />
    </>
  );
}
