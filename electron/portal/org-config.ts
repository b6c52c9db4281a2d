import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { FAULT_TYPES } from '../../shared/faults.ts';
import { OrgConfigError, formatPath, type OrgConfigProblem } from './org-config-error.ts';
import { checkOrgRules } from './org-config-rules.ts';
import {
  MISSING_REASONS,
  ORG_SECTIONS,
  orgScalarsSchema,
  type OrgConfig,
} from './org-config-schema.ts';

export { OrgConfigError, type OrgConfigProblem } from './org-config-error.ts';
export type { OrgConfig } from './org-config-schema.ts';

type Section = keyof typeof ORG_SECTIONS;

/** Reads an organisation configuration file (YAML, or JSON which YAML also reads) and checks it. */
export async function loadOrgConfig(file: string): Promise<OrgConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    throw new OrgConfigError([{ file, path: '(file)', reason }]);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new OrgConfigError(
      doc.errors.map((e) => ({
        file,
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(file)',
        reason: e.message.split('\n')[0] ?? e.code,
      })),
    );
  }
  return parseOrgConfig(doc.toJS(), file);
}

/** Checks already-parsed configuration data; throws OrgConfigError listing every problem. */
export function parseOrgConfig(data: unknown, file: string): OrgConfig {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new OrgConfigError([
      { file, path: '(top level)', reason: 'must be a mapping of settings' },
    ]);
  }
  const raw = data as Record<string, unknown>;
  const problems: OrgConfigProblem[] = [];
  const report = (issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]): void => {
    for (const issue of issues) problems.push(...toProblems(issue, prefix, file));
  };

  const scalars = orgScalarsSchema.safeParse(raw, { error: friendlyMessage });
  if (!scalars.success) report(scalars.error.issues, []);

  const parsed: Record<string, unknown[]> = {};
  for (const section of Object.keys(ORG_SECTIONS) as Section[]) {
    const entries = Array.isArray(raw[section]) ? (raw[section] as unknown[]) : [];
    parsed[section] = [];
    entries.forEach((entry, index) => {
      const result = ORG_SECTIONS[section].safeParse(entry, { error: friendlyMessage });
      if (result.success) parsed[section]!.push(result.data);
      else report(result.error.issues, [section, index]);
    });
  }

  for (const rule of checkOrgRules(raw)) {
    problems.push({ file, ...rule });
  }
  if (problems.length > 0 || !scalars.success) throw new OrgConfigError(problems);

  return { checkInIntervalSec: scalars.data.checkInIntervalSec, ...parsed } as OrgConfig;
}

function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return MISSING_REASONS[0];
  if (issue.code === 'invalid_union' && issue.note === 'No matching discriminator') {
    if (issue.discriminator === 'type') {
      return `needs a "type", one of: ${FAULT_TYPES.join(', ')}`;
    }
    return 'needs "enabled: true" or "enabled: false"';
  }
  return undefined;
}

function toProblems(
  issue: z.core.$ZodIssue,
  prefix: PropertyKey[],
  file: string,
): OrgConfigProblem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      file,
      path: formatPath([...path, key]),
      reason: 'is not a known setting',
    }));
  }
  return [{ file, path: formatPath(path), reason: issue.message }];
}
