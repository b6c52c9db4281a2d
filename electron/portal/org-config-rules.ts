import { formatPath } from './org-config-error.ts';
import { PRIMARY } from './org-config-schema.ts';

/** A cross-reference problem, before the file name is attached. */
export interface RuleProblem {
  readonly path: string;
  readonly reason: string;
}

type Entry = Readonly<Record<string, unknown>>;
type Add = (path: PropertyKey[], reason: string) => void;

/**
 * Checks the rules that span entries (unique names, references, one image per group) on the raw
 * data, so that an entry with its own shape problems still has its references checked.
 */
export function checkOrgRules(raw: Readonly<Record<string, unknown>>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add: Add = (path, reason) => problems.push({ path: formatPath(path), reason });

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
    add(['licenseKeys'], 'needs exactly one key of kind "primary"; there is none');
  }
  for (const extra of primaries.slice(1)) {
    add(['licenseKeys', extra, 'kind'], 'is a second primary key; only one is allowed');
  }

  const keyOwners = new Map<string, string>();
  userGroups.forEach((group, index) => {
    if (group.id === PRIMARY) {
      add(['userGroups', index, 'id'], `"${PRIMARY}" is reserved for the primary license key`);
    }
    const ref = group.licenseKey;
    if (typeof ref !== 'string') return;
    const at = ['userGroups', index, 'licenseKey'];
    const key = keys.get(ref);
    if (!key) add(at, `refers to license key "${ref}", which is not in licenseKeys`);
    else if (key.kind === 'primary')
      add(at, `must be a sublicense key; "${ref}" is the primary key`);
    else if (keyOwners.has(ref))
      add(at, `"${ref}" is already used by group "${keyOwners.get(ref)}"`);
    else keyOwners.set(ref, String(group.id));
  });

  const isTarget = (t: string): boolean => t === PRIMARY || groups.has(t);
  const unknownGroup = (t: string): string => `refers to group "${t}", which is not in userGroups`;
  oneOwnerEach(raw, 'goldenImages', 'assignedTo', isTarget, unknownGroup, add, (t, owner) =>
    owner.same
      ? `"${t}" is listed twice`
      : `"${t}" already has golden image "${owner.id}"; only one is allowed per group`,
  );
  oneOwnerEach(raw, 'policies', 'appliesTo', isTarget, unknownGroup, add, (t, owner) =>
    owner.same ? `"${t}" is listed twice` : `"${t}" already has policy "${owner.id}"`,
  );
  oneOwnerEach(
    raw,
    'configurationProfiles',
    'appliesToKeys',
    (k) => keys.has(k),
    (k) => `refers to license key "${k}", which is not in licenseKeys`,
    add,
    (k, owner) =>
      owner.same
        ? `"${k}" is listed twice`
        : `"${k}" already has configuration profile "${owner.id}"`,
  );
  return problems;
}

function entries(raw: Readonly<Record<string, unknown>>, section: string): Entry[] {
  const list = raw[section];
  if (!Array.isArray(list)) return [];
  // Keep non-objects as empty entries so that indexes still match the file.
  return list.map((e: unknown) => (typeof e === 'object' && e !== null ? (e as Entry) : {}));
}

function unique(list: Entry[], section: string, field: string, add: Add): Map<string, Entry> {
  const seen = new Map<string, Entry>();
  const firstIndex = new Map<string, number>();
  list.forEach((entry, index) => {
    const name = entry[field];
    if (typeof name !== 'string') return;
    if (seen.has(name)) {
      add(
        [section, index, field],
        `"${name}" is already used by ${section}[${firstIndex.get(name)}]`,
      );
    } else {
      seen.set(name, entry);
      firstIndex.set(name, index);
    }
  });
  return seen;
}

// Walks a list of references where each target may belong to at most one entry of the section.
function oneOwnerEach(
  raw: Readonly<Record<string, unknown>>,
  section: string,
  field: string,
  exists: (target: string) => boolean,
  unknown: (target: string) => string,
  add: Add,
  taken: (target: string, owner: { id: string; same: boolean }) => string,
): void {
  const owners = new Map<string, number>();
  const ids = entries(raw, section).map((e, i) => (typeof e.id === 'string' ? e.id : `#${i}`));
  entries(raw, section).forEach((entry, index) => {
    const targets: unknown = entry[field];
    if (!Array.isArray(targets)) return;
    targets.forEach((target: unknown, j) => {
      if (typeof target !== 'string') return;
      const at = [section, index, field, j];
      const owner = owners.get(target);
      if (!exists(target)) add(at, unknown(target));
      else if (owner !== undefined)
        add(at, taken(target, { id: ids[owner]!, same: owner === index }));
      else owners.set(target, index);
    });
  });
}
