import { useState } from 'react';
import { TextField } from '../../components/form-fields.tsx';
import type { AdminClient } from '../api/admin-client.ts';
import {
  POLICY_FLAGS,
  type PolicyFlag,
  type PolicyRule,
  type UserGroup,
} from '../api/admin-types.ts';
import {
  AddForm,
  DeleteButton,
  EditButton,
  useAdminList,
  type AdminList,
} from '../components/admin-list.tsx';
import { ApiErrorNotice } from '../components/api-error-notice.tsx';
import { CheckboxField, CheckboxGroup, targetChoices } from '../components/choice-fields.tsx';
import { useFormErrors } from '../components/form-errors.tsx';
import { targetLabel } from './golden-image-draft.ts';

/** Props of the Policies page. */
export interface PoliciesPageProps {
  readonly client: AdminClient;
}

interface PoliciesData {
  readonly policies: readonly PolicyRule[];
  readonly groups: readonly UserGroup[];
}

const NO_FLAGS: Record<PolicyFlag, boolean> = {
  restrictToCorporateVms: false,
  oneCorporateVmPerUser: false,
  preventCorporateVmRemoval: false,
};

const path = (policy: PolicyRule): string => `/policies/${encodeURIComponent(policy.id)}`;

/**
 * The policies: which groups they apply to and which restrictions they switch on. A card shows
 * them as text; Edit turns it into a form with Save and Cancel.
 */
export function PoliciesPage({ client }: PoliciesPageProps) {
  const list = useAdminList<PoliciesData>(async () => {
    const [policies, groups] = await Promise.all([
      client.admin<{ policies: PolicyRule[] }>('GET', '/policies'),
      client.admin<{ userGroups: UserGroup[] }>('GET', '/user-groups'),
    ]);
    return { policies: policies.policies, groups: groups.userGroups };
  });
  const [editing, setEditing] = useState<string | null>(null);
  const groups = list.data?.groups ?? [];

  return (
    <>
      <ApiErrorNotice error={list.error} />
      {list.data?.policies.length === 0 && <p className="empty">No policies yet.</p>}
      <ul className="cards" aria-label="Policies">
        {list.data?.policies.map((policy) =>
          editing === policy.id ? (
            <li key={policy.id} className="card editing">
              <PolicyForm
                list={list}
                policy={policy}
                onDone={() => setEditing(null)}
                send={(body) => client.admin('PUT', path(policy), body)}
              />
            </li>
          ) : (
            <li key={policy.id} className="card" aria-labelledby={`policy-${policy.id}`}>
              <h2 id={`policy-${policy.id}`} className="mono">
                {policy.id}
              </h2>
              <dl className="facts">
                <dt>Applies to</dt>
                <dd>
                  {policy.appliesTo.map((t) => targetLabel(t, groups)).join(', ') || 'Nobody yet'}
                </dd>
                {POLICY_FLAGS.map((flag) => (
                  <PolicyFact key={flag.name} label={flag.label} on={policy[flag.name]} />
                ))}
              </dl>
              <div className="actions">
                <EditButton
                  name={policy.id}
                  onClick={() => {
                    list.editing.clear();
                    setEditing(policy.id);
                  }}
                />
                <DeleteButton
                  name={policy.id}
                  onClick={() => list.change(() => client.admin('DELETE', path(policy)))}
                />
              </div>
            </li>
          ),
        )}
      </ul>
      <ApiErrorNotice error={list.changing.error} />
      <PolicyForm list={list} send={(body) => client.admin('POST', '/policies', body)} />
    </>
  );
}

// A restriction as text: nothing here looks like a control that does nothing.
function PolicyFact({ label, on }: { readonly label: string; readonly on: boolean }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-on={on}>{on ? 'On' : 'Off'}</dd>
    </>
  );
}

interface PolicyFormProps {
  readonly list: AdminList<PoliciesData>;
  /** The policy being edited in place; absent for the form that adds one. */
  readonly policy?: PolicyRule;
  readonly send: (body: PolicyRule) => Promise<unknown>;
  readonly onDone?: () => void;
}

function PolicyForm({ list, policy, send, onDone }: PolicyFormProps) {
  const [id, setId] = useState('');
  const [appliesTo, setAppliesTo] = useState<readonly string[]>(policy?.appliesTo ?? []);
  const [flags, setFlags] = useState<Record<PolicyFlag, boolean>>(() =>
    policy ? pickFlags(policy) : NO_FLAGS,
  );
  const [sent, setSent] = useState<Record<string, unknown>>({});
  const action = policy ? list.editing : list.adding;
  const groups = list.data?.groups ?? [];
  const others = (list.data?.policies ?? []).filter((p) => p.id !== policy?.id);
  const holderOf = (target: string) => others.find((p) => p.appliesTo.includes(target))?.id;
  const errors = useFormErrors(action.error, {
    form: 'policy',
    sent,
    groupName: (group) => targetLabel(group, groups),
    holderOf,
  });
  const submit = (): void => {
    const body: PolicyRule = { id: policy?.id ?? id.trim(), appliesTo, ...flags };
    setSent({ ...body });
    (policy ? list.edit : list.add)(
      () => send(body),
      () => {
        setId('');
        setAppliesTo([]);
        setFlags(NO_FLAGS);
        onDone?.();
      },
    );
  };
  return (
    <AddForm
      title={policy ? `Edit ${policy.id}` : 'Add a policy'}
      submitLabel={policy ? 'Save' : 'Add policy'}
      action={action}
      errors={errors}
      onSubmit={submit}
      onCancel={onDone}
      className={policy ? 'inline-form' : undefined}
    >
      {!policy && (
        <TextField
          label="Policy id"
          value={id}
          onChange={(value) => {
            setId(value);
            errors.touched('id');
          }}
          placeholder="finance-strict"
          error={errors.field('id')}
        />
      )}
      <CheckboxGroup
        legend="Applies to"
        choices={targetChoices(groups, (target) => {
          const holder = holderOf(target);
          return holder === undefined ? undefined : `Has the policy “${holder}”`;
        })}
        selected={appliesTo}
        onChange={(next) => {
          setAppliesTo(next);
          errors.touched('appliesTo');
        }}
        error={errors.field('appliesTo')}
      />
      <fieldset className="choice">
        <legend>Restrictions</legend>
        {POLICY_FLAGS.map((flag) => (
          <CheckboxField
            key={flag.name}
            label={flag.label}
            checked={flags[flag.name]}
            onChange={(on) => setFlags({ ...flags, [flag.name]: on })}
          />
        ))}
      </fieldset>
    </AddForm>
  );
}

function pickFlags(policy: PolicyRule): Record<PolicyFlag, boolean> {
  return {
    restrictToCorporateVms: policy.restrictToCorporateVms,
    oneCorporateVmPerUser: policy.oneCorporateVmPerUser,
    preventCorporateVmRemoval: policy.preventCorporateVmRemoval,
  };
}
