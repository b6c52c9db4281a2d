import type { ConfigurationProfile, UserGroup } from '../api/admin-types.ts';
import { DeleteButton } from '../components/admin-list.tsx';
import { targetLabel } from './golden-image-draft.ts';

/** Props of the configuration profile cards. */
export interface ProfileCardsProps {
  readonly profiles: readonly ConfigurationProfile[];
  readonly groups: readonly UserGroup[];
  readonly onDelete: (profile: ConfigurationProfile) => void;
}

function settingsText(settings: ConfigurationProfile['settings']): string {
  const entries = Object.entries(settings).map(([name, value]) => `${name} = ${String(value)}`);
  return entries.join(', ') || 'None';
}

function payloadText(profile: ConfigurationProfile): string {
  const payloads = [
    profile.vmForMSeriesMac?.enabled && `VM for M-series Mac: ${profile.vmForMSeriesMac.name}`,
    profile.vmForIntelMac?.enabled && `VM for Intel Mac: ${profile.vmForIntelMac.name}`,
  ].filter(Boolean);
  return payloads.join('; ') || 'None';
}

/** One card per profile: its settings, groups, license keys and VM payloads. */
export function ProfileCards({ profiles, groups, onDelete }: ProfileCardsProps) {
  return (
    <ul className="cards" aria-label="Configuration profiles">
      {profiles.map((profile) => {
        const title = profile.name ?? profile.id;
        return (
          <li key={profile.id} className="card" aria-labelledby={`profile-${profile.id}`}>
            <h2 id={`profile-${profile.id}`}>{title}</h2>
            <dl className="facts">
              <dt>Settings</dt>
              <dd className="mono">{settingsText(profile.settings)}</dd>
              <dt>Assigned to</dt>
              <dd>
                {profile.assignedTo.map((t) => targetLabel(t, groups)).join(', ') || 'No group'}
              </dd>
              <dt>License keys</dt>
              <dd className="mono">{profile.appliesToKeys.join(', ') || 'None'}</dd>
              <dt>VM payloads</dt>
              <dd>{payloadText(profile)}</dd>
            </dl>
            <div className="actions">
              <DeleteButton name={title} onClick={() => onDelete(profile)} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}
