import { ARCHES, type Arch } from '../../../shared/protocol.ts';
import type { ApiProblem } from '../api/admin-client.ts';
import type { ArchImage, GoldenImage } from '../api/admin-types.ts';

/** One architecture's fields as the form holds them. */
export interface ArchDraft {
  readonly enabled: boolean;
  readonly url: string;
  readonly checksum: string;
}

/** The golden image form's fields. */
export interface ImageDraft {
  readonly name: string;
  readonly description: string;
  readonly images: Readonly<Record<Arch, ArchDraft>>;
  readonly assignedTo: readonly string[];
}

/** The form's starting values: the image being edited, or empty fields for a new one. */
export function draftOf(image?: GoldenImage): ImageDraft {
  const arch = (a: Arch): ArchDraft => ({
    enabled: image?.images[a]?.enabled ?? false,
    url: image?.images[a]?.url ?? '',
    checksum: image?.images[a]?.checksum ?? '',
  });
  return {
    name: image?.name ?? '',
    description: image?.description ?? '',
    images: { arm64: arch('arm64'), x86_64: arch('x86_64') },
    assignedTo: image?.assignedTo ?? [],
  };
}

// Blank fields are left out rather than sent empty, so the API answers with its own sentence
// ("url is required") instead of a shape error.
function archBody(draft: ArchDraft): ArchImage | undefined {
  const url = draft.url.trim();
  const checksum = draft.checksum.trim();
  if (!draft.enabled && url === '' && checksum === '') return undefined;
  return {
    enabled: draft.enabled,
    ...(url === '' ? {} : { url }),
    ...(checksum === '' ? {} : { checksum }),
  };
}

/** The JSON body for `POST /golden-images` (no id) or `PUT /golden-images/{id}`. */
export function bodyOf(draft: ImageDraft, id?: string): Record<string, unknown> {
  const images: Partial<Record<Arch, ArchImage>> = {};
  for (const arch of ARCHES) {
    const body = archBody(draft.images[arch]);
    if (body) images[arch] = body;
  }
  return {
    ...(id === undefined ? {} : { id }),
    name: draft.name,
    description: draft.description,
    images,
    assignedTo: draft.assignedTo,
  };
}

/** Replaces one architecture's fields. */
export function withArch(draft: ImageDraft, arch: Arch, change: Partial<ArchDraft>): ImageDraft {
  return { ...draft, images: { ...draft.images, [arch]: { ...draft.images[arch], ...change } } };
}

/** How a card names the groups an image is assigned to. */
export function targetLabel(target: string, groups: readonly { id: string; name: string }[]) {
  if (target === 'primary') return 'Primary license key';
  return groups.find((group) => group.id === target)?.name ?? target;
}

// The portal's own checks, made before sending so that every problem shows on the first save.
const SHA256_OR_SHASUM_LINE = /^[0-9a-fA-F]{64}(?:[ \t]+[^\r\n]*)?$/;

/** What the page can tell is wrong with the form before sending it, as the API would say it. */
export function draftProblems(draft: ImageDraft, others: readonly GoldenImage[]): ApiProblem[] {
  const problems: ApiProblem[] = [];
  const name = draft.name.trim().replace(/\s+/g, ' ').toLowerCase();
  if (name === '') problems.push({ code: 'NAME_REQUIRED', path: 'name', reason: 'is required' });
  else if (others.some((other) => other.name.trim().replace(/\s+/g, ' ').toLowerCase() === name)) {
    problems.push({ code: 'DUPLICATE_ID', path: 'name', reason: 'is taken' });
  }
  for (const arch of ARCHES) {
    const { enabled, url, checksum } = draft.images[arch];
    if (!enabled) continue;
    const at = `images.${arch}`;
    const link = url.trim();
    if (link === '') problems.push({ code: 'IMAGE_URL_REQUIRED', path: `${at}.url`, reason: '' });
    else if (!isImageLink(link)) {
      problems.push({ code: 'IMAGE_URL_INVALID', path: `${at}.url`, reason: '' });
    }
    const sum = checksum.trim();
    if (sum === '')
      problems.push({ code: 'CHECKSUM_REQUIRED', path: `${at}.checksum`, reason: '' });
    else if (!SHA256_OR_SHASUM_LINE.test(sum)) {
      problems.push({ code: 'CHECKSUM_INVALID', path: `${at}.checksum`, reason: '' });
    }
  }
  return problems;
}

function isImageLink(link: string): boolean {
  if (link.startsWith('/')) return link.startsWith('/images/');
  return /^https?:$/.test(URL.parse(link)?.protocol ?? '');
}
