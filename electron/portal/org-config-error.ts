import type { OrgRuleCode } from '../../shared/admin-api.ts';

/** One thing wrong in an organisation configuration file. */
export interface OrgConfigProblem {
  readonly file: string;
  /** Where in the file, like `goldenImages[0].images.arm64.url`; `(top level)` for the whole file. */
  readonly path: string;
  readonly reason: string;
  /** The cross-entry rule it breaks; absent for a problem of one entry's own shape. */
  readonly code?: OrgRuleCode;
}

/** An organisation configuration that cannot be used, with every problem found in it. */
export class OrgConfigError extends Error {
  override readonly name = 'OrgConfigError';
  readonly problems: readonly OrgConfigProblem[];

  constructor(problems: readonly OrgConfigProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `${p.file}: ${p.path}: ${p.reason}`);
    super([`The organisation configuration has ${count}:`, ...lines].join('\n'));
    this.problems = problems;
  }
}

/** Writes a path of keys and indexes as `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}
