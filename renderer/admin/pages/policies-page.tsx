import { useState, type FormEvent } from 'react';
import { TextField } from '../../components/form-fields.tsx';
import type { AdminClient } from '../api/admin-client.ts';
import {
  POLICY_FLAGS,
  type PolicyFlag,
  type PolicyRule,
  type UserGroup,
} from '../api/admin-types.ts';
import { ApiErrorNotice, useAction, useLoad } from '../components/api-error-notice.tsx';
import { CheckboxField, CheckboxGroup, targetChoices } from '../components/choice-fields.tsx';
import { targetLabel } from './golden-image-draft.ts';

/** Props of the Policies page. */
export interface PoliciesPageProps {
  readonly client: AdminClient;
}

const NO_FLAGS: Record<PolicyFlag, boolean> = {
  restrictToCorporateVms: false,
  oneCorporateVmPerUser: false,
  preventCorporateVmRemoval: false,
};

/** The policies: which groups they apply to and which restrictions they switch on. */
export function PoliciesPage({ client }: PoliciesPageProps) {
  const loaded = useLoad(async () => {
    const [policies, groups] = await Promise.all([
      client.admin<{ policies: PolicyRule[] }>('GET', '/policies'),
      client.admin<{ userGroups: UserGroup[] }>('GET', '/user-groups'),
    ]);
    return { policies: policies.policies, groups: groups.userGroups };
  });
  const [id, setId] = useState('');
  const [appliesTo, setAppliesTo] = useState<string[]>([]);
  const [flags, setFlags] = useState(NO_FLAGS);
  const adding = useAction();
  const changing = useAction();
  const groups = loaded.data?.groups ?? [];
  const path = (policy: PolicyRule): string => `/policies/${encodeURIComponent(policy.id)}`;

  const add = (event: FormEvent): void => {
    event.preventDefault();
    void adding.run(
      () => client.admin('POST', '/policies', { id: id.trim(), appliesTo, ...flags }),
      () => {
        setId('');
        setAppliesTo([]);
        setFlags(NO_FLAGS);
        loaded.reload();
      },
    );
  };
  const toggle = (policy: PolicyRule, flag: PolicyFlag, on: boolean): void =>
    void changing.run(
      () => client.admin('PUT', path(policy), { ...policy, [flag]: on }),
      loaded.reload,
    );

  return (
    <>
      <ApiErrorNotice error={loaded.error} />
      {loaded.data?.policies.length === 0 && <p className="empty">No policies yet.</p>}
      <ul className="cards" aria-label="Policies">
        {loaded.data?.policies.map((policy) => (
          <li key={policy.id} className="card" aria-labelledby={`policy-${policy.id}`}>
            <h2 id={`policy-${policy.id}`} className="mono">
              {policy.id}
            </h2>
            <p>
              Applies to:{' '}
              {policy.appliesTo.map((t) => targetLabel(t, groups)).join(', ') || 'nobody yet'}
            </p>
            <fieldset>
              <legend className="visually-hidden">Restrictions of {policy.id}</legend>
              {POLICY_FLAGS.map((flag) => (
                <CheckboxField
                  key={flag.name}
                  label={flag.label}
                  checked={policy[flag.name]}
                  onChange={(on) => toggle(policy, flag.name, on)}
                />
              ))}
            </fieldset>
            <div className="actions">
              <button
                type="button"
                className="danger"
                onClick={() =>
                  void changing.run(() => client.admin('DELETE', path(policy)), loaded.reload)
                }
              >
                Delete<span className="visually-hidden"> {policy.id}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
      <ApiErrorNotice error={changing.error} />
      <form className="card entry-form" aria-labelledby="add-policy" onSubmit={add} noValidate>
        <h2 id="add-policy">Add a policy</h2>
        <TextField label="Policy id" value={id} onChange={setId} placeholder="finance-strict" />
        <CheckboxGroup
          legend="Applies to"
          choices={targetChoices(groups)}
          selected={appliesTo}
          onChange={setAppliesTo}
        />
        {POLICY_FLAGS.map((flag) => (
          <CheckboxField
            key={flag.name}
            label={flag.label}
            checked={flags[flag.name]}
            onChange={(on) => setFlags({ ...flags, [flag.name]: on })}
          />
        ))}
        <ApiErrorNotice error={adding.error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={adding.busy}>
            Add policy
          </button>
        </div>
      </form>
    </>
  );
}
