import type { AdminErrorCode, AdminProblem } from '../../../shared/admin-api.ts';
import { OrgConfigError, parseOrgConfig, type OrgConfigProblem } from '../org-config.ts';
import { MISSING_REASONS, type OrgConfig } from '../org-config-schema.ts';
import { ADMIN_HINTS, AdminError } from './admin-error.ts';

/** The entry a change is about: its section and id, and how an admin calls it. */
export interface Focus {
  readonly section: keyof OrgConfig;
  readonly id: string;
  readonly noun: string;
  /** What failed, when not "The <noun> "<id>" cannot be saved" (a new entry, a deletion). */
  readonly title?: string;
}

/**
 * Checks a changed organisation with the same rules as a config file. The focused entry is checked
 * last, so that a rule two entries break together is reported on the entry the admin changed.
 * Throws an AdminError naming every problem, the rules' and `extra` (the admin API's own checks of
 * the focused entry) together, so that one save shows everything wrong with it.
 */
export function checkCandidate(
  candidate: Record<string, unknown>,
  focus?: Focus,
  extra: readonly AdminProblem[] = [],
): OrgConfig {
  const checked = focus ? focusLast(candidate, focus) : candidate;
  try {
    parseOrgConfig(checked, 'admin change');
  } catch (error) {
    if (!(error instanceof OrgConfigError)) throw error;
    const problems = error.problems.map((p) => toAdminProblem(p, checked, focus));
    // A field the rules found wrong already says so; the admin checks add the other fields.
    const more = extra.filter((p) => !problems.some((q) => q.path === p.path));
    throw adminErrorOf([...problems, ...more], focus);
  }
  if (extra.length > 0) throw adminErrorOf(extra, focus);
  // The same entries in their own order: the rules pass again, only the order differs.
  return parseOrgConfig(candidate, 'admin change');
}

/** One AdminError for a list of problems: the first one's code, every problem in the message. */
export function adminErrorOf(problems: readonly AdminProblem[], focus?: Focus): AdminError {
  const code = problems[0]?.code ?? 'BAD_REQUEST';
  const what = focus
    ? (focus.title ?? `The ${focus.noun} "${focus.id}" cannot be saved`)
    : 'The change is refused';
  const list = problems.map((p) => `${p.path} ${p.reason}`).join('; ');
  const hint = ADMIN_HINTS[code];
  return new AdminError(code, `${what}: ${list}.${hint ? ` ${hint}` : ''}`, problems);
}

function focusLast(candidate: Record<string, unknown>, focus: Focus): Record<string, unknown> {
  const list = candidate[focus.section];
  if (!Array.isArray(list)) return candidate;
  const isFocus = (e: unknown): boolean => entryId(e) === focus.id;
  return {
    ...candidate,
    [focus.section]: [...list.filter((e) => !isFocus(e)), ...list.filter(isFocus)],
  };
}

function toAdminProblem(
  problem: OrgConfigProblem,
  candidate: Record<string, unknown>,
  focus?: Focus,
): AdminProblem {
  const match = /^(\w+)\[(\d+)\]\.?(.*)$/.exec(problem.path);
  let path = problem.path;
  if (match) {
    const [, section, index, rest] = match as unknown as [string, string, string, string];
    const list = candidate[section];
    const id = Array.isArray(list) ? entryId(list[Number(index)]) : undefined;
    const own = focus && section === focus.section && id === focus.id;
    path = own ? rest || '(entry)' : `${section} "${id ?? `#${index}`}"${rest ? `.${rest}` : ''}`;
  }
  return { code: problem.code ?? shapeCode(problem), path, reason: problem.reason };
}

// Shape problems have no rule code: the field and whether it was left out tell which rule it is.
function shapeCode(problem: OrgConfigProblem): AdminErrorCode {
  const missing = (MISSING_REASONS as readonly string[]).includes(problem.reason);
  if (/\.name$/.test(problem.path) && missing) return 'NAME_REQUIRED';
  if (/\.url$/.test(problem.path)) return missing ? 'IMAGE_URL_REQUIRED' : 'IMAGE_URL_INVALID';
  if (/\.checksum$/.test(problem.path) && missing) return 'CHECKSUM_REQUIRED';
  return 'BAD_REQUEST';
}

function entryId(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { id, key } = entry as { id?: unknown; key?: unknown };
  return typeof id === 'string' ? id : typeof key === 'string' ? key : undefined;
}
