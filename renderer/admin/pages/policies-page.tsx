import { useState } from 'react';
import { TextField } from '../../components/form-fields.tsx';
import type { AdminClient } from '../api/admin-client.ts';
import {
  POLICY_FLAGS,
  type PolicyFlag,
  type PolicyRule,
  type UserGroup,
} from '../api/admin-types.ts';
import { AddForm, DeleteButton, useAdminList } from '../components/admin-list.tsx';
import { ApiErrorNotice } from '../components/api-error-notice.tsx';
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
  const list = useAdminList(async () => {
    const [policies, groups] = await Promise.all([
      client.admin<{ policies: PolicyRule[] }>('GET', '/policies'),
      client.admin<{ userGroups: UserGroup[] }>('GET', '/user-groups'),
    ]);
    return { policies: policies.policies, groups: groups.userGroups };
  });
  const [id, setId] = useState('');
  const [appliesTo, setAppliesTo] = useState<string[]>([]);
  const [flags, setFlags] = useState(NO_FLAGS);
  const groups = list.data?.groups ?? [];
  const path = (policy: PolicyRule): string => `/policies/${encodeURIComponent(policy.id)}`;

  const add = (): void =>
    list.add(
      () => client.admin('POST', '/policies', { id: id.trim(), appliesTo, ...flags }),
      () => {
        setId('');
        setAppliesTo([]);
        setFlags(NO_FLAGS);
      },
    );
  const toggle = (policy: PolicyRule, flag: PolicyFlag, on: boolean): void =>
    list.change(() => client.admin('PUT', path(policy), { ...policy, [flag]: on }));
  const remove = (policy: PolicyRule): void =>
    list.change(() => client.admin('DELETE', path(policy)));

  return (
    <>
      <ApiErrorNotice error={list.error} />
      {list.data?.policies.length === 0 && <p className="empty">No policies yet.</p>}
      <ul className="cards" aria-label="Policies">
        {list.data?.policies.map((policy) => (
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
              <DeleteButton name={policy.id} onClick={() => remove(policy)} />
            </div>
          </li>
        ))}
      </ul>
      <ApiErrorNotice error={list.changing.error} />
      <AddForm title="Add a policy" submitLabel="Add policy" action={list.adding} onSubmit={add}>
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
      </AddForm>
    </>
  );
}
