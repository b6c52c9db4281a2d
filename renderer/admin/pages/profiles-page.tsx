import { useState, type FormEvent } from 'react';
import { TextField } from '../../components/form-fields.tsx';
import type { AdminClient } from '../api/admin-client.ts';
import type { ConfigurationProfile, LicenseKey, UserGroup } from '../api/admin-types.ts';
import { ApiErrorNotice, useAction, useLoad } from '../components/api-error-notice.tsx';
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
  const loaded = useLoad(async () => {
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
  const adding = useAction();
  const removing = useAction();
  const groups = loaded.data?.groups ?? [];
  const keyChoices = (loaded.data?.keys ?? []).map((k) => ({ value: k.key, label: k.key }));

  const add = (event: FormEvent): void => {
    event.preventDefault();
    const { settings, problem } = parseSettings(settingsText);
    setSettingsProblem(problem);
    if (!settings) return;
    void adding.run(
      () =>
        client.admin('POST', '/configuration-profiles', {
          name,
          settings,
          assignedTo,
          appliesToKeys,
        }),
      () => {
        setName('');
        setSettingsText('');
        setAssignedTo([]);
        setAppliesToKeys([]);
        loaded.reload();
      },
    );
  };

  return (
    <>
      <ApiErrorNotice error={loaded.error} />
      {loaded.data?.profiles.length === 0 && (
        <p className="empty">No configuration profiles yet.</p>
      )}
      <ProfileCards
        profiles={loaded.data?.profiles ?? []}
        groups={groups}
        onDelete={(profile) =>
          void removing.run(
            () =>
              client.admin('DELETE', `/configuration-profiles/${encodeURIComponent(profile.id)}`),
            loaded.reload,
          )
        }
      />
      <ApiErrorNotice error={removing.error} />
      <form className="card entry-form" aria-labelledby="add-profile" onSubmit={add} noValidate>
        <h2 id="add-profile">Add a configuration profile</h2>
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
        <ApiErrorNotice error={adding.error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={adding.busy}>
            Add profile
          </button>
        </div>
      </form>
    </>
  );
}
