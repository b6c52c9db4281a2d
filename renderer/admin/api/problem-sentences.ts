import type { ApiProblem } from './admin-client.ts';
import type { FormKind, Where } from './problem-fields.ts';

/** What the words need from the page: the form, what it sent, and how it names things. */
export interface WordsContext {
  readonly form: FormKind;
  /** The body the form sent, to name the values problems point at (`assignedTo[0]`). */
  readonly sent?: Readonly<Record<string, unknown>>;
  /** The entry the change is about, as the page names it (a deletion's "still used by"). */
  readonly subject?: string;
  /** A group id (or `primary`) as the page shows it. */
  readonly groupName?: (id: string) => string;
  /** The name of the other entry that already holds a group or key, when the page knows it. */
  readonly holderOf?: (target: string) => string | undefined;
  /** An entry of another section (`goldenImages`, `policies`...) by its name on the page. */
  readonly entryName?: (section: string, id: string) => string;
}

const NOUNS: Readonly<Record<FormKind, string>> = {
  'golden-image': 'golden image',
  'user-group': 'group',
  'license-key': 'license key',
  policy: 'policy',
  profile: 'configuration profile',
  fault: 'fault',
  'verify-link': 'link',
  list: 'entry',
};

const HOLDERS: Readonly<Record<string, string>> = {
  GROUP_HAS_GOLDEN_IMAGE: 'golden image',
  GROUP_HAS_POLICY: 'policy',
  TARGET_HAS_PROFILE: 'configuration profile',
};

const KEY_FORMAT =
  'This is not a license key. Enter it as the Control Center expects it: groups of capital letters and digits joined by dashes, like ACME-ENG-0002.';

/** One problem in the page's words, for the field it sits beside (or the alert). */
export function problemSentence(problem: ApiProblem, where: Where, ctx: WordsContext): string {
  const noun = NOUNS[ctx.form];
  const part = where.part ?? 'Image';
  const target = where.value === undefined ? 'This group' : groupWords(where.value, ctx);
  switch (problem.code) {
    case 'NAME_REQUIRED':
      return `Give the ${noun} a name${ctx.form === 'golden-image' ? ': your users see it in Parallels Desktop' : ''}.`;
    case 'IMAGE_URL_REQUIRED':
      return `${part}: give the download link, or turn off “${where.toggle ?? 'Enable'}”.`;
    case 'IMAGE_URL_INVALID':
      return `${part}: the download link must start with http:// or https://, or be a path under /images/ for a file this portal hosts.`;
    case 'CHECKSUM_REQUIRED':
      return `${part}: paste the SHA-256 checksum from the image’s .sha256.txt file.`;
    case 'CHECKSUM_INVALID':
      return `${part}: this is not a SHA-256 checksum. It is 64 characters from 0–9 and a–f, as in the image’s .sha256.txt file.`;
    case 'GROUP_HAS_GOLDEN_IMAGE':
    case 'GROUP_HAS_POLICY':
    case 'TARGET_HAS_PROFILE':
      return taken(problem.code, target, where.value, ctx);
    case 'LISTED_TWICE':
      return `${target} is chosen twice: choose it once.`;
    case 'DUPLICATE_ID':
      return duplicate(where, noun);
    case 'RESERVED_ID':
      return '“primary” stands for the users of the primary license key. Choose another name.';
    case 'UNKNOWN_GROUP':
      return `${target} no longer exists. Reload the page and choose again.`;
    case 'UNKNOWN_LICENSE_KEY':
      return `The license key ${where.value ?? ''} no longer exists. Add it on the License Keys page, or choose another.`;
    case 'NOT_A_SUBLICENSE_KEY':
      return 'This is the primary license key. A group needs a sublicense key; the users of the primary key are chosen as “Primary license key”.';
    case 'LICENSE_KEY_IN_USE':
      return 'This key already activates another group. Each group needs its own sublicense key: add one on the License Keys page.';
    case 'PRIMARY_KEY_COUNT':
      return 'The organisation needs exactly one primary license key, so this change is refused. Keep one key primary.';
    case 'NOT_FOUND':
      return `This ${noun} no longer exists; someone may have deleted it. The list shows what there is now.`;
    case 'ARCH_IMAGE_EXISTS':
      return `${part} is already set: change it in this form instead.`;
    case 'LINK_UNREACHABLE':
      return 'The portal got no answer from this link’s server. Check the link for typos, and that the server is up and reachable without a VPN.';
    case 'LINK_CERTIFICATE_INVALID':
      return 'The link’s server presents a certificate that Macs cannot trust. Fix the server’s certificate, or host the image on a server with a valid one.';
    case 'CONFLICT':
      return where.key === 'spec' && problem.path === 'type'
        ? 'A tls fault needs a portal started with HTTPS; this one serves plain HTTP.'
        : `A fault with the id “${where.value ?? ''}” is already active. Remove it first, or give this one another id.`;
    default:
      return badRequest(problem, where, ctx);
  }
}

function groupWords(id: string, ctx: WordsContext): string {
  if (id === 'primary') return 'The users of the primary license key';
  return ctx.groupName?.(id) ?? id;
}

// "Finance already has the golden image “Windows 11”, and a group has only one: …"
function taken(code: string, target: string, value: string | undefined, ctx: WordsContext) {
  const kind = HOLDERS[code]!;
  const holder = value === undefined ? undefined : ctx.holderOf?.(value);
  const named = holder ? `the ${kind} “${holder}”` : `another ${kind}`;
  if (code === 'GROUP_HAS_GOLDEN_IMAGE') {
    return `${target} already has ${named}, and a group has only one. To change it, edit ${holder ? `“${holder}”` : 'that golden image'} on this page, clear ${target} under “Assign to” and save; then assign it here.`;
  }
  if (code === 'GROUP_HAS_POLICY') {
    return `${target} already has ${named}, and a group has only one. Edit that policy instead, or clear ${target} there first.`;
  }
  return `${target} already gets ${named}, and a license key gets only one. Clear it there first.`;
}

function duplicate(where: Where, noun: string): string {
  if (where.key === 'name') {
    return `Another ${noun} is already called “${where.value?.trim() ?? ''}”. Choose another name.`;
  }
  if (where.key === 'key') return `The license key ${where.value ?? ''} is already in the list.`;
  return where.value === undefined
    ? `There is already a ${noun} with this id. Choose another.`
    : `There is already a ${noun} with the id “${where.value}”. Choose another id.`;
}

function badRequest(problem: ApiProblem, where: Where, ctx: WordsContext): string {
  const { path, reason } = problem;
  const missing = reason === 'is required' || reason === 'must not be empty';
  if (ctx.form === 'fault') return faultWords(problem, where);
  switch (where.key) {
    case 'key':
      return missing ? 'Enter the license key.' : KEY_FORMAT;
    case 'licenseKey':
      return 'Choose the sublicense key that activates this group.';
    case 'id':
      return missing
        ? `Give the ${NOUNS[ctx.form]} an id, like finance-strict.`
        : 'The id may hold only letters, digits, “.”, “_” and “-”, and starts with a letter or digit.';
    case 'settings':
      return 'Setting names start with a letter and hold only letters, digits, “.”, “_” and “-”; values are text, numbers or on/off.';
    default:
      return `${where.part ?? 'The form'}: ${path ? `${path} ` : ''}${reason}.`;
  }
}

function faultWords(problem: ApiProblem, where: Where): string {
  const { path, reason, options } = problem;
  if (path === '')
    return 'The fault spec must be a JSON object, like {"type": "latency", "latencyMs": 500}.';
  if (path === 'type') {
    const list = options && options.length > 0 ? ` Use one of: ${options.join(', ')}.` : '';
    return where.value === undefined
      ? `The fault needs a type.${list}`
      : `There is no fault type “${where.value}”.${list}`;
  }
  return `In the fault spec, “${path}” ${reason}.`;
}
