import type { AdminProblem } from '../../../shared/admin-api.ts';
import type { Arch } from '../../../shared/protocol.ts';
import type { ConfigurationProfile, GoldenImage } from '../org-config-schema.ts';

/** How an admin reads each architecture. */
export const ARCH_NAMES: Readonly<Record<Arch, string>> = {
  arm64: 'Apple silicon (arm64)',
  x86_64: 'Intel (x86_64)',
};

// 64 hex digits, alone or followed by the file name as `shasum -a 256` prints it.
const SHA256_OR_SHASUM_LINE = /^[0-9a-fA-F]{64}(?:[ \t]+[^\r\n]*)?$/;

// A config file may hold a broken link or checksum on purpose (QA feeds agents bad policies);
// what an admin types through the API is held to what an agent can actually use.

/** Problems of a golden image the admin API refuses beyond the file rules. */
export function goldenImageProblems(image: GoldenImage): AdminProblem[] {
  return (['arm64', 'x86_64'] as const).flatMap((arch) => {
    const entry = image.images[arch];
    return entry?.enabled ? linkProblems(entry, `images.${arch}`) : [];
  });
}

/** Problems of a configuration profile the admin API refuses beyond the file rules. */
export function profileProblems(profile: ConfigurationProfile): AdminProblem[] {
  const problems: AdminProblem[] = [];
  if ((profile.name ?? '').trim() === '') {
    problems.push({ code: 'NAME_REQUIRED', path: 'name', reason: 'is required' });
  }
  for (const payload of ['vmForMSeriesMac', 'vmForIntelMac'] as const) {
    const entry = profile[payload];
    if (entry?.enabled) problems.push(...linkProblems(entry, payload));
  }
  return problems;
}

/** Problems of an enabled image's link and checksum. */
export function linkProblems(
  image: { readonly url: string; readonly checksum: string },
  at: string,
): AdminProblem[] {
  const problems: AdminProblem[] = [];
  const url = image.url.trim();
  if (url.startsWith('/')) {
    if (!url.startsWith('/images/')) {
      const reason = `"${url}" is a path but not under /images/, where this portal hosts images`;
      problems.push({ code: 'IMAGE_URL_INVALID', path: `${at}.url`, reason });
    }
  } else if (!/^https?:$/.test(URL.parse(url)?.protocol ?? '')) {
    const reason = `"${url}" is not an http:// or https:// link; agents download over HTTP(S) only`;
    problems.push({ code: 'IMAGE_URL_INVALID', path: `${at}.url`, reason });
  }
  if (!SHA256_OR_SHASUM_LINE.test(image.checksum.trim())) {
    const reason = `"${image.checksum.trim().slice(0, 80)}" is not a SHA-256 checksum`;
    problems.push({ code: 'CHECKSUM_INVALID', path: `${at}.checksum`, reason });
  }
  return problems;
}
