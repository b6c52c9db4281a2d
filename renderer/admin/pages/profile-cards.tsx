import type { ReactNode } from 'react';
import type { ConfigurationProfile, UserGroup } from '../api/admin-types.ts';
import { DeleteButton, EditButton } from '../components/admin-list.tsx';
import { targetLabel } from './golden-image-draft.ts';

/** Props of the configuration profile cards. */
export interface ProfileCardsProps {
  readonly profiles: readonly ConfigurationProfile[];
  readonly groups: readonly UserGroup[];
  /** The id of the profile shown as `editor` in place of its card. */
  readonly editing: string | null;
  readonly editor: (profile: ConfigurationProfile) => ReactNode;
  readonly onEdit: (profile: ConfigurationProfile) => void;
  readonly onDelete: (profile: ConfigurationProfile) => void;
}

function settingValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'On' : 'Off';
  return String(value);
}

function payloadText(profile: ConfigurationProfile): string {
  const payloads = [
    profile.vmForMSeriesMac?.enabled && `VM for M-series Mac: ${profile.vmForMSeriesMac.name}`,
    profile.vmForIntelMac?.enabled && `VM for Intel Mac: ${profile.vmForIntelMac.name}`,
  ].filter(Boolean);
  return payloads.join('; ') || 'None';
}

/** One card per profile: its settings, who gets it, and its VM payloads; Edit and Delete. */
export function ProfileCards(props: ProfileCardsProps) {
  const { profiles, groups, editing, editor, onEdit, onDelete } = props;
  return (
    <ul className="cards" aria-label="Configuration profiles">
      {profiles.map((profile) => {
        const title = profile.name ?? profile.id;
        if (editing === profile.id) {
          return (
            <li key={profile.id} className="card editing">
              {editor(profile)}
            </li>
          );
        }
        const targets = [
          ...profile.assignedTo.map((t) => targetLabel(t, groups)),
          ...profile.appliesToKeys.map((key) => `License key ${key}`),
        ];
        const settings = Object.entries(profile.settings);
        return (
          <li key={profile.id} className="card" aria-labelledby={`profile-${profile.id}`}>
            <h2 id={`profile-${profile.id}`}>{title}</h2>
            <dl className="facts">
              <dt>Settings</dt>
              <dd>
                {settings.length === 0 ? (
                  'None'
                ) : (
                  <ul className="plain-list">
                    {settings.map(([name, value]) => (
                      <li key={name}>
                        <span className="mono">{name}</span>: {settingValue(value)}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
              <dt>Applies to</dt>
              <dd>{targets.join(', ') || 'Nobody yet'}</dd>
              <dt>VM payloads</dt>
              <dd>{payloadText(profile)}</dd>
            </dl>
            <div className="actions">
              <EditButton name={title} onClick={() => onEdit(profile)} />
              <DeleteButton name={title} onClick={() => onDelete(profile)} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}
