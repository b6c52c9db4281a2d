import { useState } from 'react';
import { TextField } from '../../components/form-fields.tsx';
import type { AdminClient } from '../api/admin-client.ts';
import type { ConfigurationProfile, LicenseKey, UserGroup } from '../api/admin-types.ts';
import { AddForm, useAdminList } from '../components/admin-list.tsx';
import { ApiErrorNotice } from '../components/api-error-notice.tsx';
import { CheckboxGroup, TextAreaField, targetChoices } from '../components/choice-fields.tsx';
import { ProfileCards } from './profile-cards.tsx';

/** Props of the Configuration Profiles page. */
export interface ProfilesPageProps {
  readonly client: AdminClient;
}

const SETTINGS_EXAMPLE = '{ "vm.startupView": "coherence", "app.autoUpdate": false }';

function parseSettings(text: string): { settings?: Record<string, unknown>; problem?: string } {
  if (text.trim() === '') return { settings: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return { settings: value as Record<string, unknown> };
    }
  } catch {
    // Reported below, in the same sentence as a value that is not an object.
  }
  return { problem: `The settings must be a JSON object, like ${SETTINGS_EXAMPLE}.` };
}

/** Business Edition configuration profiles: settings applied to groups or to license keys. */
export function ProfilesPage({ client }: ProfilesPageProps) {
  const list = useAdminList(async () => {
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
  const [name, setName] = useState('');
  const [settingsText, setSettingsText] = useState('');
  const [assignedTo, setAssignedTo] = useState<string[]>([]);
  const [appliesToKeys, setAppliesToKeys] = useState<string[]>([]);
  const [settingsProblem, setSettingsProblem] = useState<string | undefined>(undefined);
  const groups = list.data?.groups ?? [];
  const keyChoices = (list.data?.keys ?? []).map((k) => ({ value: k.key, label: k.key }));

  const path = (profile: ConfigurationProfile): string =>
    `/configuration-profiles/${encodeURIComponent(profile.id)}`;
  const add = (): void => {
    const { settings, problem } = parseSettings(settingsText);
    setSettingsProblem(problem);
    if (!settings) return;
    const profile = { name, settings, assignedTo, appliesToKeys };
    list.add(
      () => client.admin('POST', '/configuration-profiles', profile),
      () => {
        setName('');
        setSettingsText('');
        setAssignedTo([]);
        setAppliesToKeys([]);
      },
    );
  };

  return (
    <>
      <ApiErrorNotice error={list.error} />
      {list.data?.profiles.length === 0 && <p className="empty">No configuration profiles yet.</p>}
      <ProfileCards
        profiles={list.data?.profiles ?? []}
        groups={groups}
        onDelete={(profile) => list.change(() => client.admin('DELETE', path(profile)))}
      />
      <ApiErrorNotice error={list.changing.error} />
      <AddForm
        title="Add a configuration profile"
        submitLabel="Add profile"
        action={list.adding}
        onSubmit={add}
      >
        <TextField label="Profile name" value={name} onChange={setName} />
        <TextAreaField
          label="Settings (JSON)"
          value={settingsText}
          onChange={setSettingsText}
          hint={`Parallels Desktop settings, like ${SETTINGS_EXAMPLE}.`}
          error={settingsProblem}
        />
        <CheckboxGroup
          legend="Assign to groups"
          choices={targetChoices(groups)}
          selected={assignedTo}
          onChange={setAssignedTo}
        />
        <CheckboxGroup
          legend="Apply to license keys"
          choices={keyChoices}
          selected={appliesToKeys}
          onChange={setAppliesToKeys}
        />
      </AddForm>
    </>
  );
}
