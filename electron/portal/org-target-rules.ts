import type { OrgRuleCode } from '../../shared/admin-api.ts';
import { PRIMARY } from './org-config-schema.ts';

/** An entry of a list section, as raw data. */
export type Entry = Readonly<Record<string, unknown>>;

/** Reports a broken rule at a path. */
export type AddProblem = (path: PropertyKey[], reason: string, code: OrgRuleCode) => void;

/** The entries of a list section; non-objects become empty entries so indexes match the file. */
export function entries(raw: Readonly<Record<string, unknown>>, section: string): Entry[] {
  const list = raw[section];
  if (!Array.isArray(list)) return [];
  return list.map((e: unknown) => (typeof e === 'object' && e !== null ? (e as Entry) : {}));
}

/** The license keys and groups of the organisation, by key and by id. */
export interface Known {
  readonly keys: ReadonlyMap<string, Entry>;
  readonly groups: ReadonlyMap<string, Entry>;
}

interface Owner {
  readonly id: string;
  readonly same: boolean;
}

/**
 * Checks who gets what: each group (or the primary key) has at most one golden image, one policy
 * and one configuration profile, and each license key at most one profile, whether the profile
 * names the key itself or the key's group.
 */
export function checkTargetRules(
  raw: Readonly<Record<string, unknown>>,
  known: Known,
  add: AddProblem,
): void {
  const isTarget = (t: string): boolean => t === PRIMARY || known.groups.has(t);
  const target = { exists: isTarget, unknown: unknownGroup, unknownCode: 'UNKNOWN_GROUP' } as const;
  const walk = (section: string, field: string, code: OrgRuleCode, what: string, tail = '') =>
    oneOwnerEach(raw, section, field, { ...target, code }, add, (t, owner) =>
      owner.same ? `"${t}" is listed twice` : `"${t}" already has ${what} "${owner.id}"${tail}`,
    );
  const onlyOne = '; only one is allowed per group';
  walk('goldenImages', 'assignedTo', 'GROUP_HAS_GOLDEN_IMAGE', 'golden image', onlyOne);
  walk('policies', 'appliesTo', 'GROUP_HAS_POLICY', 'policy');
  walk('configurationProfiles', 'assignedTo', 'TARGET_HAS_PROFILE', 'configuration profile');
  const keyOwners = oneOwnerEach(
    raw,
    'configurationProfiles',
    'appliesToKeys',
    {
      exists: (k) => known.keys.has(k),
      unknown: (k) => `refers to license key "${k}", which is not in licenseKeys`,
      unknownCode: 'UNKNOWN_LICENSE_KEY',
      code: 'TARGET_HAS_PROFILE',
    },
    add,
    (k, owner) =>
      owner.same
        ? `"${k}" is listed twice`
        : `"${k}" already has configuration profile "${owner.id}"`,
  );

  // A profile given to a group reaches the group's key, which must not have a profile of its own.
  const keyOf = (t: string): string | undefined =>
    t === PRIMARY
      ? [...known.keys.values()].find((k) => k.kind === 'primary')?.key?.toString()
      : known.groups.get(t)?.licenseKey?.toString();
  entries(raw, 'configurationProfiles').forEach((profile, index) => {
    const targets: unknown = profile.assignedTo;
    if (!Array.isArray(targets)) return;
    targets.forEach((t: unknown, j) => {
      const key = typeof t === 'string' ? keyOf(t) : undefined;
      const owner = key === undefined ? undefined : keyOwners.get(key);
      if (owner === undefined || owner.index === index) return;
      const reason = `"${String(t)}" uses license key "${key}", which already has configuration profile "${owner.id}"`;
      add(['configurationProfiles', index, 'assignedTo', j], reason, 'TARGET_HAS_PROFILE');
    });
  });
}

function unknownGroup(t: string): string {
  return `refers to group "${t}", which is not in userGroups`;
}

// Walks a list of references where each target may belong to at most one entry of the section.
function oneOwnerEach(
  raw: Readonly<Record<string, unknown>>,
  section: string,
  field: string,
  rule: {
    exists: (target: string) => boolean;
    unknown: (target: string) => string;
    unknownCode: OrgRuleCode;
    code: OrgRuleCode;
  },
  add: AddProblem,
  taken: (target: string, owner: Owner) => string,
): Map<string, { index: number; id: string }> {
  const owners = new Map<string, { index: number; id: string }>();
  const list = entries(raw, section);
  const ids = list.map((e, i) => (typeof e.id === 'string' ? e.id : `#${i}`));
  list.forEach((entry, index) => {
    const targets: unknown = entry[field];
    if (!Array.isArray(targets)) return;
    targets.forEach((target: unknown, j) => {
      if (typeof target !== 'string') return;
      const at = [section, index, field, j];
      const owner = owners.get(target);
      if (!rule.exists(target)) add(at, rule.unknown(target), rule.unknownCode);
      else if (owner === undefined) owners.set(target, { index, id: ids[index]! });
      else if (owner.index === index)
        add(at, taken(target, { ...owner, same: true }), 'LISTED_TWICE');
      else add(at, taken(target, { ...owner, same: false }), rule.code);
    });
  });
  return owners;
}
