import type { AdminProblem } from '../../../shared/admin-api.ts';
import { LICENSE_KEY_PATTERN } from '../../../shared/ipc-contract.ts';
import type { Arch } from '../../../shared/protocol.ts';

/** How an admin reads each architecture. */
export const ARCH_NAMES: Readonly<Record<Arch, string>> = {
  arm64: 'Apple silicon (arm64)',
  x86_64: 'Intel (x86_64)',
};

/** An entry as the admin sent it, before the organisation's schema checked its shape. */
export type RawEntry = Readonly<Record<string, unknown>>;

// 64 hex digits, alone or followed by the file name as `shasum -a 256` prints it.
const SHA256_OR_SHASUM_LINE = /^[0-9a-fA-F]{64}(?:[ \t]+[^\r\n]*)?$/;

// A config file may hold a broken link or checksum on purpose (QA feeds agents bad policies);
// what an admin types through the API is held to what an agent can actually use. These checks
// read the raw entry, so that they are reported together with the schema's own problems.

/** Problems of a golden image the admin API refuses beyond the file rules. */
export function goldenImageProblems(image: RawEntry, others: readonly RawEntry[]): AdminProblem[] {
  const images = objectOr(image.images);
  return [
    ...sameName(image, others),
    ...(['arm64', 'x86_64'] as const).flatMap((arch) => {
      const entry = objectOr(images[arch]);
      return entry.enabled === true ? linkProblems(entry, `images.${arch}`) : [];
    }),
  ];
}

/** Problems of a user group the admin API refuses beyond the file rules: a name another has. */
export function groupProblems(group: RawEntry, others: readonly RawEntry[]): AdminProblem[] {
  return sameName(group, others);
}

/** Problems of a new license key: the Control Center takes only keys of its own format. */
export function newKeyProblems(entry: RawEntry): AdminProblem[] {
  const { key } = entry;
  if (typeof key !== 'string' || key.trim() === '' || LICENSE_KEY_PATTERN.test(key)) return [];
  const reason =
    'is not a license key: groups of capital letters and digits joined by dashes, like ACME-ENG-0002';
  return [{ code: 'BAD_REQUEST', path: 'key', reason }];
}

/** Problems of a configuration profile the admin API refuses beyond the file rules. */
export function profileProblems(profile: RawEntry): AdminProblem[] {
  const problems: AdminProblem[] = [];
  if (typeof profile.name !== 'string' || profile.name.trim() === '') {
    problems.push({ code: 'NAME_REQUIRED', path: 'name', reason: 'is required' });
  }
  for (const payload of ['vmForMSeriesMac', 'vmForIntelMac'] as const) {
    const entry = objectOr(profile[payload]);
    if (entry.enabled === true) problems.push(...linkProblems(entry, payload));
  }
  return problems;
}

/** Problems of an enabled image's link and checksum; a missing one is the schema's to report. */
export function linkProblems(image: RawEntry, at: string): AdminProblem[] {
  const problems: AdminProblem[] = [];
  const url = typeof image.url === 'string' ? image.url.trim() : '';
  if (url.startsWith('/')) {
    if (!url.startsWith('/images/')) {
      const reason = `"${url}" is a path but not under /images/, where this portal hosts images`;
      problems.push({ code: 'IMAGE_URL_INVALID', path: `${at}.url`, reason });
    }
  } else if (url !== '' && !/^https?:$/.test(URL.parse(url)?.protocol ?? '')) {
    const reason = `"${url}" is not an http:// or https:// link; agents download over HTTP(S) only`;
    problems.push({ code: 'IMAGE_URL_INVALID', path: `${at}.url`, reason });
  }
  const checksum = typeof image.checksum === 'string' ? image.checksum.trim() : '';
  if (checksum !== '' && !SHA256_OR_SHASUM_LINE.test(checksum)) {
    const reason = `"${checksum.slice(0, 80)}" is not a SHA-256 checksum`;
    problems.push({ code: 'CHECKSUM_INVALID', path: `${at}.checksum`, reason });
  }
  return problems;
}

// Users tell entries apart by name: two with one name (any case, blanks aside) are refused.
function sameName(entry: RawEntry, others: readonly RawEntry[]): AdminProblem[] {
  const name = nameKey(entry.name);
  const twin = name === '' ? undefined : others.find((other) => nameKey(other.name) === name);
  if (!twin) return [];
  const reason = `"${String(entry.name).trim()}" is already the name of "${String(twin.id)}"`;
  return [{ code: 'DUPLICATE_ID', path: 'name', reason }];
}

function nameKey(name: unknown): string {
  return typeof name === 'string' ? name.trim().replace(/\s+/g, ' ').toLowerCase() : '';
}

function objectOr(value: unknown): RawEntry {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as RawEntry)
    : {};
}
