import type { ApiProblem } from '../api/admin-client.ts';
import type { ConfigurationProfile, LicenseKey, UserGroup } from '../api/admin-types.ts';
import type { Choice } from '../components/choice-fields.tsx';

/** The kinds of value a Parallels Desktop setting takes. */
export type SettingKind = 'text' | 'number' | 'switch';

/** One setting row of the profile form. */
export interface SettingDraft {
  readonly name: string;
  readonly kind: SettingKind;
  /** The text of a text or number setting; `on`/`off` for a switch. */
  readonly value: string;
}

/** The profile form's fields; targets are group ids (or `primary`) and `key:<license key>`. */
export interface ProfileDraft {
  readonly name: string;
  readonly settings: readonly SettingDraft[];
  readonly targets: readonly string[];
}

const KEY = 'key:';

/** The form's starting values: the profile being edited, or one empty setting row. */
export function profileDraftOf(profile?: ConfigurationProfile): ProfileDraft {
  const settings = Object.entries(profile?.settings ?? {}).map(([name, value]): SettingDraft => {
    if (typeof value === 'boolean') return { name, kind: 'switch', value: value ? 'on' : 'off' };
    return { name, kind: typeof value === 'number' ? 'number' : 'text', value: String(value) };
  });
  return {
    name: profile?.name ?? '',
    settings: settings.length > 0 ? settings : [{ name: '', kind: 'text', value: '' }],
    targets: [
      ...(profile?.assignedTo ?? []),
      ...(profile?.appliesToKeys ?? []).map((key) => `${KEY}${key}`),
    ],
  };
}

// Setting names as Parallels Desktop writes them: `vm.startupView`.
const SETTING_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** What is wrong with one setting row: which of its fields, and the page's sentence. */
export interface SettingRowProblem {
  readonly field: 'name' | 'value';
  readonly sentence: string;
}

/** What is wrong with one setting row; undefined when nothing is. */
export function settingRowProblem(row: SettingDraft): SettingRowProblem | undefined {
  const name = row.name.trim();
  // A row without a name is left out of the profile, whatever its value.
  if (name === '') return undefined;
  if (!SETTING_NAME.test(name)) {
    const sentence =
      'A setting name starts with a letter and holds only letters, digits, “.”, “_” and “-”.';
    return { field: 'name', sentence };
  }
  if (row.kind !== 'number') return undefined;
  if (row.value.trim() === '') {
    return { field: 'value', sentence: `Enter a number for ${name}, like 8192.` };
  }
  if (!Number.isFinite(Number(row.value))) {
    const sentence = `“${row.value.trim()}” is not a number. Enter one for ${name}, like 8192 or 1.5.`;
    return { field: 'value', sentence };
  }
  return undefined;
}

/** What the page can tell is wrong before sending: a blank name, a bad setting row. */
export function profileProblems(draft: ProfileDraft): ApiProblem[] {
  const problems: ApiProblem[] = [];
  if (draft.name.trim() === '') {
    problems.push({ code: 'NAME_REQUIRED', path: 'name', reason: 'is required' });
  }
  const bad = draft.settings.findIndex((row) => settingRowProblem(row) !== undefined);
  if (bad >= 0) {
    problems.push({ code: 'BAD_REQUEST', path: `settings[${bad}]`, reason: 'is not valid' });
  }
  return problems;
}

/** The JSON body of the profile, keeping its "VM for … Mac" payloads as they were. */
export function profileBody(
  draft: ProfileDraft,
  profile?: ConfigurationProfile,
): Record<string, unknown> {
  const settings: Record<string, string | number | boolean> = {};
  for (const row of draft.settings) {
    const name = row.name.trim();
    if (name === '') continue;
    if (row.kind === 'switch') settings[name] = row.value === 'on';
    else if (row.kind === 'number') settings[name] = Number(row.value);
    else settings[name] = row.value;
  }
  return {
    name: draft.name.trim(),
    settings,
    assignedTo: draft.targets.filter((t) => !t.startsWith(KEY)),
    appliesToKeys: draft.targets.filter((t) => t.startsWith(KEY)).map((t) => t.slice(KEY.length)),
    ...(profile?.vmForIntelMac && { vmForIntelMac: profile.vmForIntelMac }),
    ...(profile?.vmForMSeriesMac && { vmForMSeriesMac: profile.vmForMSeriesMac }),
  };
}

/**
 * One list of who gets the profile: the primary key's users, each group, then each license key
 * that has no group (a group's key is the group). One another profile holds is disabled.
 */
export function profileTargets(
  groups: readonly UserGroup[],
  keys: readonly LicenseKey[],
  others: readonly ConfigurationProfile[],
  chosen: readonly string[],
): Choice[] {
  const primaryKey = keys.find((k) => k.kind === 'primary')?.key;
  const keyOf = (target: string) =>
    target === 'primary' ? primaryKey : groups.find((g) => g.id === target)?.licenseKey;
  const holder = (target: string, key: string | undefined): string | undefined =>
    others.find(
      (p) => p.assignedTo.includes(target) || (key !== undefined && p.appliesToKeys.includes(key)),
    )?.name;
  const choice = (value: string, label: string, key: string | undefined): Choice => {
    const taken = holder(value, key);
    return taken === undefined
      ? { value, label }
      : { value, label, disabled: true, note: `Has “${taken}”` };
  };
  const groupKeys = new Set(groups.map((g) => g.licenseKey));
  const loose = keys.filter(
    (k) => chosen.includes(`${KEY}${k.key}`) || (k.kind === 'sublicense' && !groupKeys.has(k.key)),
  );
  return [
    choice('primary', 'Primary license key', primaryKey),
    ...groups.map((g) => choice(g.id, `${g.name} (${g.id})`, keyOf(g.id))),
    ...loose.map((k) => choice(`${KEY}${k.key}`, `License key ${k.key} (no group)`, k.key)),
  ];
}
