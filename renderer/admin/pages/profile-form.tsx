import { useState } from 'react';
import { TextField } from '../../components/form-fields.tsx';
import { pageRefusal } from '../api/admin-client.ts';
import type { ConfigurationProfile, LicenseKey, UserGroup } from '../api/admin-types.ts';
import { AddForm, type AdminList } from '../components/admin-list.tsx';
import { CheckboxGroup } from '../components/choice-fields.tsx';
import { useFormErrors } from '../components/form-errors.tsx';
import { targetLabel } from './golden-image-draft.ts';
import {
  profileBody,
  profileDraftOf,
  profileProblems,
  profileTargets,
  settingRowProblem,
  type ProfileDraft,
} from './profile-draft.ts';
import { SettingRows } from './setting-rows.tsx';

/** What the profile pages load. */
export interface ProfilesData {
  readonly profiles: readonly ConfigurationProfile[];
  readonly groups: readonly UserGroup[];
  readonly keys: readonly LicenseKey[];
}

/** Props of the form that adds a configuration profile or edits one in place. */
export interface ProfileFormProps {
  readonly list: AdminList<ProfilesData>;
  /** The profile being edited; absent for the form that adds one. */
  readonly profile?: ConfigurationProfile;
  readonly send: (body: Record<string, unknown>) => Promise<unknown>;
  readonly onDone?: () => void;
}

/** A name, the settings one row each, and one list of the groups and keys that get them. */
export function ProfileForm({ list, profile, send, onDone }: ProfileFormProps) {
  const [draft, setDraft] = useState<ProfileDraft>(() => profileDraftOf(profile));
  const [sent, setSent] = useState<Record<string, unknown>>({});
  const action = profile ? list.editing : list.adding;
  const groups = list.data?.groups ?? [];
  const others = (list.data?.profiles ?? []).filter((p) => p.id !== profile?.id);
  const errors = useFormErrors(action.error, {
    form: 'profile',
    sent,
    groupName: (id) => targetLabel(id, groups),
    holderOf: (target) =>
      others.find((p) => p.assignedTo.includes(target) || p.appliesToKeys.includes(target))?.name,
  });
  const edit = (next: ProfileDraft, field: string): void => {
    setDraft(next);
    errors.touched(field);
  };
  // While the settings are marked, each bad row says what is wrong beside it.
  const settingsError = errors.field('settings');
  const rowErrors = settingsError === undefined ? [] : draft.settings.map(settingRowProblem);
  const submit = (): void => {
    const body = profileBody(draft, profile);
    setSent(body);
    const found = profileProblems(draft);
    if (found.length > 0) return action.refuse(pageRefusal(found));
    (profile ? list.edit : list.add)(
      () => send(body),
      () => {
        setDraft(profileDraftOf());
        onDone?.();
      },
    );
  };
  return (
    <AddForm
      title={profile ? `Edit ${profile.name ?? profile.id}` : 'Add a configuration profile'}
      submitLabel={profile ? 'Save' : 'Add profile'}
      action={action}
      errors={errors}
      onSubmit={submit}
      onCancel={onDone}
      className={profile ? 'inline-form' : undefined}
    >
      <TextField
        label="Profile name"
        value={draft.name}
        onChange={(name) => edit({ ...draft, name }, 'name')}
        error={errors.field('name')}
      />
      <SettingRows
        rows={draft.settings}
        onChange={(settings) => edit({ ...draft, settings }, 'settings')}
        error={rowErrors.some(Boolean) ? undefined : settingsError}
        rowErrors={rowErrors}
      />
      <CheckboxGroup
        legend="Applies to"
        hint="A group gets the profile through its license key; a license key without a group gets it directly. Each key gets one profile at most."
        choices={profileTargets(groups, list.data?.keys ?? [], others, draft.targets)}
        selected={draft.targets}
        onChange={(targets) => edit({ ...draft, targets }, 'targets')}
        error={errors.field('targets')}
      />
    </AddForm>
  );
}
