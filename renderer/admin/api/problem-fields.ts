import type { Arch } from '../../../shared/protocol.ts';
import type { ApiProblem } from './admin-client.ts';
import { ARCH_LABELS, POLICY_FLAGS } from './admin-types.ts';

/** The forms whose refusals the page words, each with its own fields. */
export type FormKind =
  | 'golden-image'
  | 'user-group'
  | 'license-key'
  | 'policy'
  | 'profile'
  | 'fault'
  | 'verify-link'
  | 'list';

/** Where a problem sits on the page: the field (none: the alert), the value, and its part. */
export interface Where {
  /** The form's field key, or undefined when the form has no field for it. */
  readonly key?: string;
  /** The value the form sent there, when it is text (`assignedTo[1]` → the group id). */
  readonly value?: string;
  /** The image a link or checksum belongs to: "Intel image", "VM for M-series Mac". */
  readonly part?: string;
  /** The checkbox that switches that image on: "Enable for Intel". */
  readonly toggle?: string;
}

/** The fields each form shows an error beside. */
const FORM_FIELDS: Readonly<Record<FormKind, readonly string[]>> = {
  'golden-image': [
    'name',
    'description',
    'images.arm64.url',
    'images.arm64.checksum',
    'images.x86_64.url',
    'images.x86_64.checksum',
    'assignedTo',
  ],
  'user-group': ['name', 'licenseKey'],
  'license-key': ['key', 'kind', 'state'],
  policy: ['id', 'appliesTo', ...POLICY_FLAGS.map((flag) => flag.name)],
  profile: ['name', 'settings', 'targets'],
  fault: ['spec'],
  'verify-link': ['url', 'checksum'],
  list: [],
};

const PAYLOADS: Readonly<Record<string, string>> = {
  vmForMSeriesMac: 'VM for M-series Mac',
  vmForIntelMac: 'VM for Intel Mac',
};

/** Which field of `form` a problem is about, and what was sent there. */
export function fieldOf(
  form: FormKind,
  problem: ApiProblem,
  sent: Readonly<Record<string, unknown>> | undefined,
): Where {
  const { path } = problem;
  const [, base = '', index] = /^([^[]*)(?:\[(\d+)\])?/.exec(path) ?? [];
  const value = textAt(sent, base, index);
  const part = partOf(path);
  const key = keyOf(form, problem, base);
  const known = key !== undefined && FORM_FIELDS[form].includes(key);
  return { ...(known && { key }), ...(value !== undefined && { value }), ...part };
}

function keyOf(form: FormKind, problem: ApiProblem, base: string): string | undefined {
  if (form === 'fault') return 'spec';
  if (form === 'verify-link') {
    if (problem.code === 'CHECKSUM_INVALID') return 'checksum';
    return problem.code === 'IMAGE_URL_INVALID' ? 'url' : base || undefined;
  }
  if (form === 'profile') {
    if (base.startsWith('settings')) return 'settings';
    if (base === 'assignedTo' || base === 'appliesToKeys') return 'targets';
  }
  return base || undefined;
}

function partOf(path: string): Pick<Where, 'part' | 'toggle'> {
  const image = /^images\.(arm64|x86_64)\b/.exec(path);
  if (image) {
    const label = ARCH_LABELS[image[1] as Arch];
    return { part: `${label} image`, toggle: `Enable for ${label}` };
  }
  const payload = /^(vmFor\w+)\b/.exec(path);
  const name = payload && PAYLOADS[payload[1]!];
  return name ? { part: name, toggle: name } : {};
}

function textAt(
  sent: Readonly<Record<string, unknown>> | undefined,
  base: string,
  index: string | undefined,
): string | undefined {
  let value: unknown = sent;
  for (const part of base.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  if (index !== undefined) value = Array.isArray(value) ? value[Number(index)] : undefined;
  return typeof value === 'string' ? value : undefined;
}
