import type { OrgRuleCode } from '../../shared/admin-api.ts';
import { formatPath } from './org-config-error.ts';
import { PRIMARY } from './org-config-schema.ts';
import { checkTargetRules, entries, type AddProblem, type Entry } from './org-target-rules.ts';

/** A cross-reference problem, before the file name is attached. */
export interface RuleProblem {
  readonly path: string;
  readonly reason: string;
  /** Which rule it breaks, for the admin API's error codes. */
  readonly code: OrgRuleCode;
}

/**
 * Checks the rules that span entries (unique names, references, one image per group) on the raw
 * data, so that an entry with its own shape problems still has its references checked.
 */
export function checkOrgRules(raw: Readonly<Record<string, unknown>>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add: AddProblem = (path, reason, code) =>
    problems.push({ path: formatPath(path), reason, code });

  const licenseKeys = entries(raw, 'licenseKeys');
  const userGroups = entries(raw, 'userGroups');
  const keys = unique(licenseKeys, 'licenseKeys', 'key', add);
  const groups = unique(userGroups, 'userGroups', 'id', add);
  unique(entries(raw, 'goldenImages'), 'goldenImages', 'id', add);
  unique(entries(raw, 'policies'), 'policies', 'id', add);
  unique(entries(raw, 'configurationProfiles'), 'configurationProfiles', 'id', add);
  unique(entries(raw, 'faults'), 'faults', 'id', add);

  const primaries = licenseKeys.flatMap((k, i) => (k.kind === 'primary' ? [i] : []));
  if (primaries.length === 0 && Array.isArray(raw.licenseKeys)) {
    add(
      ['licenseKeys'],
      'needs exactly one key of kind "primary"; there is none',
      'PRIMARY_KEY_COUNT',
    );
  }
  for (const extra of primaries.slice(1)) {
    const reason = 'is a second primary key; only one is allowed';
    add(['licenseKeys', extra, 'kind'], reason, 'PRIMARY_KEY_COUNT');
  }

  const keyOwners = new Map<string, string>();
  userGroups.forEach((group, index) => {
    if (group.id === PRIMARY) {
      const reason = `"${PRIMARY}" is reserved for the primary license key`;
      add(['userGroups', index, 'id'], reason, 'RESERVED_ID');
    }
    const ref = group.licenseKey;
    if (typeof ref !== 'string') return;
    const at = ['userGroups', index, 'licenseKey'];
    const key = keys.get(ref);
    if (!key) {
      add(at, `refers to license key "${ref}", which is not in licenseKeys`, 'UNKNOWN_LICENSE_KEY');
    } else if (key.kind === 'primary') {
      add(at, `must be a sublicense key; "${ref}" is the primary key`, 'NOT_A_SUBLICENSE_KEY');
    } else if (keyOwners.has(ref)) {
      const reason = `"${ref}" is already used by group "${keyOwners.get(ref)}"`;
      add(at, reason, 'LICENSE_KEY_IN_USE');
    } else keyOwners.set(ref, String(group.id));
  });

  checkTargetRules(raw, { keys, groups }, add);
  return problems;
}

function unique(list: Entry[], section: string, field: string, add: AddProblem) {
  const seen = new Map<string, Entry>();
  const firstIndex = new Map<string, number>();
  list.forEach((entry, index) => {
    const name = entry[field];
    if (typeof name !== 'string') return;
    if (seen.has(name)) {
      const reason = `"${name}" is already used by ${section}[${firstIndex.get(name)}]`;
      add([section, index, field], reason, 'DUPLICATE_ID');
    } else {
      seen.set(name, entry);
      firstIndex.set(name, index);
    }
  });
  return seen;
}
