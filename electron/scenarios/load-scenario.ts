import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { FAULT_TYPES } from '../../shared/faults.ts';
import { formatPath } from '../portal/org-config-error.ts';
import { scenarioSchema, stepSchema, type Scenario } from './scenario-schema.ts';

/** One thing wrong in a scenario file, with where it is (1-based line and column). */
export interface ScenarioProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where in the scenario, like `steps[2].do`; `(top level)` for the whole file. */
  readonly path: string;
  readonly reason: string;
}

/** A scenario file that cannot be used, with every problem found in it. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  readonly problems: readonly ScenarioProblem[];

  constructor(problems: readonly ScenarioProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.path}: ${p.reason}`);
    super([`The scenario has ${count}:`, ...lines].join('\n'));
    this.problems = problems;
  }
}

const STEP_KINDS = stepSchema.options.map((option) => option.shape.do.value);

/** Reads a scenario YAML file and checks it; throws ScenarioError pointing at each problem. */
export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    throw new ScenarioError([{ file, line: 1, column: 1, path: '(file)', reason }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0].line ?? 1,
        column: e.linePos?.[0].col ?? 1,
        path: '(syntax)',
        reason: e.message.split('\n')[0] ?? e.code,
      })),
    );
  }
  const result = scenarioSchema.safeParse(doc.toJS(), { error: friendlyMessage });
  if (result.success) return result.data;

  const problems = result.error.issues.flatMap((issue) => splitIssue(issue));
  const located = problems.map(({ path, reason, key }) => {
    const pos = lineCounter.linePos(locate(doc, path, key));
    return { file, line: pos.line, column: pos.col, path: formatPath(path), reason };
  });
  located.sort((a, b) => a.line - b.line || a.column - b.column);
  throw new ScenarioError(located);
}

interface RawProblem {
  path: PropertyKey[];
  reason: string;
  /** Point at the key rather than its value (an unknown setting). */
  key: boolean;
}

function splitIssue(issue: z.core.$ZodIssue): RawProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({
      path: [...issue.path, k],
      reason: 'is not a known setting',
      key: true,
    }));
  }
  return [{ path: [...issue.path], reason: issue.message, key: false }];
}

function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const missing = issue.code === 'invalid_type' || issue.code === 'invalid_value';
  if (missing && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_union' && issue.note === 'No matching discriminator') {
    const kinds = issue.discriminator === 'do' ? STEP_KINDS : FAULT_TYPES;
    return `needs a "${String(issue.discriminator)}", one of: ${kinds.join(', ')}`;
  }
  return undefined;
}

// The offset of the node at `path`; a missing setting points at its parent's key instead.
function locate(doc: Document, path: readonly PropertyKey[], wantKey: boolean): number {
  let node: unknown = doc.contents;
  let at = doc.contents?.range?.[0] ?? 0;
  let keyAt = at;
  for (const [index, part] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) return keyAt;
      keyAt = (pair.key as Node).range?.[0] ?? at;
      const value = pair.value as Node | null;
      // An empty value (`org:`) has no useful range of its own.
      const empty = value === null || (isScalar(value) && value.value === null);
      at = (wantKey && index === path.length - 1) || empty ? keyAt : (value.range?.[0] ?? keyAt);
      node = value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
      node = node.items[part];
      at = (node as Node).range?.[0] ?? at;
      keyAt = at;
    } else {
      return keyAt;
    }
  }
  return at;
}

/** Expands files and folders into scenario files (`*.yaml`, `*.yml`), sorted within each folder. */
export async function findScenarioFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      throw new ScenarioError([
        { file: path, line: 1, column: 1, path: '(file)', reason: 'does not exist' },
      ]);
    }
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path, { withFileTypes: true }))
      .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
      .map((e) => e.name)
      .sort();
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}
