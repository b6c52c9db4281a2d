import type { ZodError } from 'zod';
import { formatPath } from './org-config-error.ts';

/**
 * One thing wrong with a request, as the admin and fault APIs list it: the field (like
 * `images.arm64.url`, or `''` for the whole request), a stable code, a short reason, and the
 * values the field may take when there are few.
 */
export interface FieldProblem {
  readonly code: string;
  readonly path: string;
  readonly reason: string;
  readonly options?: readonly string[];
}

type Issue = ZodError['issues'][number];

/** A problem per field zod refused, with a plain reason instead of zod's own wording. */
export function zodProblems(error: ZodError): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const path = issue.path.length === 0 ? '' : formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        code: 'BAD_REQUEST',
        path: path === '' ? key : `${path}.${key}`,
        reason: 'is not a field of this request',
      }));
    }
    const options = optionsOf(issue);
    return [{ code: 'BAD_REQUEST', path, reason: reasonOf(issue), ...(options && { options }) }];
  });
}

function optionsOf(issue: Issue): string[] | undefined {
  if (issue.code === 'invalid_value') return issue.values.map(String);
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    return (issue.options as unknown[]).map(String);
  }
  return undefined;
}

function reasonOf(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined/.test(issue.message)
        ? 'is required'
        : `must be ${article(issue.expected)}`;
    case 'invalid_union':
    case 'invalid_value':
      return 'is not one of the values it may take';
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return 'is not in the expected format';
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
