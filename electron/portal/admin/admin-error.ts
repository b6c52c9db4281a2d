import type { FastifyReply } from 'fastify';
import { ADMIN_ERROR_STATUS, type AdminErrorCode } from '../../../shared/admin-api.ts';
import type { FieldProblem } from '../field-problems.ts';

/** Facts a refusal adds to its body for the admin pages, like the groups a deletion strands. */
export type AdminErrorFacts = Readonly<Record<string, readonly string[]>>;

/**
 * A refused admin request: a stable code, its HTTP status, a sentence an admin can act on, and
 * the problems by field (path and code), which the admin pages put in their own words.
 */
export class AdminError extends Error {
  override readonly name = 'AdminError';
  readonly code: AdminErrorCode;
  readonly problems: readonly FieldProblem[];
  readonly facts: AdminErrorFacts;

  constructor(
    code: AdminErrorCode,
    message: string,
    problems: readonly FieldProblem[] = [],
    facts: AdminErrorFacts = {},
  ) {
    super(message);
    this.code = code;
    this.problems = problems;
    this.facts = facts;
  }

  /** The HTTP status of the code. */
  get status(): number {
    return ADMIN_ERROR_STATUS[this.code];
  }
}

/** What to do about each rule, appended to the problems an error lists. */
export const ADMIN_HINTS: Partial<Readonly<Record<AdminErrorCode, string>>> = {
  NAME_REQUIRED: 'Give it a name: users see it in Parallels Desktop.',
  IMAGE_URL_REQUIRED:
    'Each enabled architecture needs the link to its image: give the URL or disable that architecture.',
  IMAGE_URL_INVALID:
    'Give a direct http:// or https:// link to the image file, or a path under /images/ for a file this portal hosts.',
  CHECKSUM_REQUIRED:
    'Paste the SHA-256 of the image: the content of its .sha256.txt file or the line printed by "shasum -a 256 <file>".',
  CHECKSUM_INVALID:
    'A SHA-256 checksum is 64 hex digits, optionally followed by the file name as "shasum -a 256" prints it.',
  GROUP_HAS_GOLDEN_IMAGE:
    'A group can have only one golden image: remove the group from its current golden image first (DELETE /api/v1/admin/assignments/<group>).',
  GROUP_HAS_POLICY: 'A group can have only one policy: remove it from the other policy first.',
  TARGET_HAS_PROFILE:
    'A license key (and so its group) can have only one configuration profile: remove it from the other profile first.',
  DUPLICATE_ID: 'Choose another id, or change the existing entry with PUT.',
  PRIMARY_KEY_COUNT:
    'The organisation needs exactly one primary license key: keep the current one, or turn it into a sublicense key in the same change that adds the new one.',
  RESERVED_ID: '"primary" stands for the users of the primary license key; choose another id.',
  UNKNOWN_LICENSE_KEY: 'Add the license key first (POST /api/v1/admin/license-keys).',
  UNKNOWN_GROUP: 'Create the group first (POST /api/v1/admin/user-groups), or fix the group id.',
  NOT_A_SUBLICENSE_KEY:
    'Groups are activated with sublicense keys; users of the primary key are the "primary" target.',
  LICENSE_KEY_IN_USE: 'Each group needs its own sublicense key.',
  LISTED_TWICE: 'List each target once.',
};

/**
 * Sends an AdminError as the API's error body. Every refusal lists its problems; one without a
 * field of its own is about the whole request (path `''`).
 */
export function sendAdminError(reply: FastifyReply, error: AdminError): FastifyReply {
  const problems =
    error.problems.length > 0
      ? error.problems
      : [{ code: error.code, path: '', reason: error.message }];
  const body = {
    error: { code: error.code, message: error.message, problems, ...error.facts },
  };
  return reply.code(error.status).type('application/json; charset=utf-8').send(body);
}

/** A 404 for an entry that does not exist. */
export function notFound(noun: string, id: string, list: string): AdminError {
  return new AdminError(
    'NOT_FOUND',
    `There is no ${noun} "${id}". GET /api/v1/admin/${list} lists the ones there are.`,
    [{ code: 'NOT_FOUND', path: '', reason: `there is no ${noun} "${id}"` }],
  );
}
