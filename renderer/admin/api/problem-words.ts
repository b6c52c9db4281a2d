import type { AdminApiError, ApiProblem } from './admin-client.ts';
import { fieldOf, type FormKind, type Where } from './problem-fields.ts';
import { problemSentence, type WordsContext } from './problem-sentences.ts';

export type { FormKind } from './problem-fields.ts';
export type { WordsContext } from './problem-sentences.ts';

/** A refusal in the page's words: a sentence beside each field, and one for the alert. */
export interface PageErrors {
  readonly code: string;
  /** Sentences by the form's field key (`name`, `images.x86_64.checksum`, `assignedTo`...). */
  readonly fields: Readonly<Record<string, string>>;
  /** What the alert says: what was refused, and every problem that has no field of its own. */
  readonly summary: string;
}

const WHAT: Readonly<Record<FormKind, string>> = {
  'golden-image': 'The golden image was not saved',
  'user-group': 'The group was not saved',
  'license-key': 'The license key was not saved',
  policy: 'The policy was not saved',
  profile: 'The configuration profile was not saved',
  fault: 'The fault was not added',
  'verify-link': 'The link was not verified',
  list: 'The change was not made',
};

// Refusals about the portal or the session rather than a field: one sentence whatever the path.
const WHOLE: Readonly<Record<string, string>> = {
  UNAUTHORIZED:
    'This admin token is not right. Copy it again from the admin-token file in the portal’s data folder; the portal printed it when it first started.',
  FORBIDDEN:
    'This portal was started without an admin token, so its admin pages are closed. Start it with provisim portal, which makes one, or with --admin-token.',
  NETWORK: 'The portal could not be reached. Check that it is running, then try again.',
  STATE_NOT_SAVED:
    'The portal could not save the change in its data folder, so nothing was changed. Check that the disk has free space and the folder is writable, then try again.',
};

/** The page's words for a refusal: each problem beside its field, the rest in the alert. */
export function pageErrors(error: AdminApiError, ctx: WordsContext): PageErrors {
  const whole = WHOLE[error.code];
  if (whole) return { code: error.code, fields: {}, summary: whole };
  if (error.code === 'IN_USE') return { code: error.code, fields: {}, summary: inUse(error, ctx) };
  const fields: Record<string, string> = {};
  const loose: string[] = [];
  for (const problem of problemsOf(error)) {
    const where: Where = fieldOf(ctx.form, problem, ctx.sent);
    const sentence = problemSentence(problem, where, ctx);
    if (where.key !== undefined && fields[where.key] === undefined) fields[where.key] = sentence;
    else if (where.key === undefined && !loose.includes(sentence)) loose.push(sentence);
  }
  const marked = Object.keys(fields).length;
  const lead =
    marked === 0
      ? []
      : [`${WHAT[ctx.form]}: ${marked === 1 ? 'see the field marked' : 'see the fields marked'}.`];
  const summary = [...lead, ...loose].join(' ') || `${WHAT[ctx.form]}.`;
  return { code: error.code, fields, summary };
}

// An answer without problems (an old portal, a proxy) still gets one, about the whole request.
function problemsOf(error: AdminApiError): readonly ApiProblem[] {
  if (error.problems.length > 0) return error.problems;
  return [{ code: error.code, path: '', reason: error.message }];
}

const SECTION_NOUNS: Readonly<Record<string, string>> = {
  userGroups: 'the group',
  goldenImages: 'the golden image',
  policies: 'the policy',
  configurationProfiles: 'the configuration profile',
};

// "Finance is still used by the golden image “Windows 11” and the policy “strict”."
function inUse(error: AdminApiError, ctx: WordsContext): string {
  const users = error.problems.flatMap((problem) => {
    const match = /^(\w+) "(.+)"$/.exec(problem.path);
    if (!match) return [];
    const [, section = '', id = ''] = match;
    const name = ctx.entryName?.(section, id) ?? id;
    return [`${SECTION_NOUNS[section] ?? 'the entry'} “${name}”`];
  });
  const what = ctx.subject ? `“${ctx.subject}”` : 'It';
  const list =
    users.length <= 1
      ? (users[0] ?? 'another entry')
      : `${users.slice(0, -1).join(', ')} and ${users.at(-1)}`;
  return `${what} is still used by ${list}. Remove it there first, then delete it.`;
}
