import type { FastifyInstance } from 'fastify';
import type { AdminProblem } from '../../../shared/admin-api.ts';
import type { OrgConfig } from '../org-config-schema.ts';
import { AdminError, notFound } from './admin-error.ts';
import type { RawEntry } from './entry-checks.ts';
import type { Focus } from './org-problems.ts';
import type { OrgStore } from './org-store.ts';

/** The list sections of the organisation the admin API edits. */
export type AdminSection =
  'licenseKeys' | 'userGroups' | 'goldenImages' | 'policies' | 'configurationProfiles';

type Entry = Readonly<Record<string, unknown>>;

/** An entry that refers to another: its path as problems name it (`userGroups "eng"`) and in words. */
export interface User {
  readonly path: string;
  readonly words: string;
}

/** One collection of the admin API and its section of the organisation. */
export interface CollectionSpec {
  /** Path below the admin prefix, like `/golden-images`. */
  readonly path: string;
  readonly section: AdminSection;
  /** Answer property of one entry, like `goldenImage`. */
  readonly single: string;
  readonly idField: 'id' | 'key';
  readonly noun: string;
  /** Make the id from the name when none is sent. */
  readonly idFromName?: boolean;
  /** Rules only the admin API applies to a saved entry, given the section's other entries. */
  readonly problems?: (entry: RawEntry, others: readonly RawEntry[]) => AdminProblem[];
  /** Rules only the admin API applies to a new entry (POST). */
  readonly newEntryProblems?: (entry: RawEntry) => AdminProblem[];
  /** What still refers to an entry, which must let go of it before it is deleted. */
  readonly usedBy?: (org: OrgConfig, id: string) => User[];
  /** Registers DELETE itself. */
  readonly customDelete?: boolean;
}

/** Registers list, get, create (POST), replace (PUT) and delete for one collection. */
export function registerCollection(app: FastifyInstance, store: OrgStore, spec: CollectionSpec) {
  const { path, section, idField, noun, single } = spec;
  const list = (org: OrgConfig): readonly Entry[] => org[section] as readonly Entry[];
  const find = (org: OrgConfig, id: string) => list(org).find((e) => e[idField] === id);
  const problemsOf = (org: OrgConfig, entry: Entry, id: string): AdminProblem[] =>
    spec.problems?.(
      entry,
      list(org).filter((e) => e[idField] !== id),
    ) ?? [];
  const answer = (result: { org: OrgConfig; focus?: Focus; changedPolicies: unknown }) => ({
    [single]: find(result.org, result.focus!.id),
    changedPolicies: result.changedPolicies,
  });
  type WithId = { Params: { id: string } };

  app.get(path, async () => ({ [section]: list(store.org) }));

  app.get<WithId>(`${path}/:id`, async (request) => {
    const entry = find(store.org, request.params.id);
    if (!entry) throw notFound(noun, request.params.id, path.slice(1));
    return { [single]: entry };
  });

  app.post(path, async (request, reply) => {
    const body = entryBody(request.body, noun);
    const result = await store.change({
      build: (org) => {
        const given = body[idField];
        const id = typeof given === 'string' ? given : newId(org, body, spec, find);
        if (id === undefined) {
          const message = `The ${noun} needs its "${idField}" (letters, digits, ".", "_" and "-").`;
          throw new AdminError('BAD_REQUEST', message, [
            { code: 'BAD_REQUEST', path: idField, reason: 'is required' },
          ]);
        }
        const entry = { ...body, [idField]: id };
        const named = typeof body.name === 'string' && body.name.trim() !== '';
        const title = given === undefined && !named ? `The new ${noun} cannot be saved` : undefined;
        const focus = { section, id, noun, title };
        const problems = [...(spec.newEntryProblems?.(entry) ?? []), ...problemsOf(org, entry, id)];
        return { data: { ...org, [section]: [...list(org), entry] }, focus, problems };
      },
    });
    return reply.code(201).send(answer(result));
  });

  app.put<WithId>(`${path}/:id`, async (request) => {
    const { id } = request.params;
    const body = entryBody(request.body, noun);
    if (body[idField] !== undefined && body[idField] !== id) {
      const message = `The ${idField} of ${noun} "${id}" cannot be changed. Create a new ${noun} and delete this one instead.`;
      throw new AdminError('BAD_REQUEST', message, [
        { code: 'BAD_REQUEST', path: idField, reason: 'cannot be changed' },
      ]);
    }
    const result = await store.change({
      build: (org) => {
        if (!find(org, id)) throw notFound(noun, id, path.slice(1));
        const entry = { ...body, [idField]: id };
        const replaced = list(org).map((e) => (e[idField] === id ? entry : e));
        const problems = problemsOf(org, entry, id);
        return { data: { ...org, [section]: replaced }, focus: { section, id, noun }, problems };
      },
    });
    return answer(result);
  });

  if (spec.customDelete) return;
  app.delete<WithId>(`${path}/:id`, async (request) => {
    const { id } = request.params;
    const result = await store.change({
      build: (org) => {
        if (!find(org, id)) throw notFound(noun, id, path.slice(1));
        const users = spec.usedBy?.(org, id) ?? [];
        if (users.length > 0) {
          const message = `The ${noun} "${id}" is still used by ${users.map((u) => u.words).join(', ')}. Remove it from there first, then delete it.`;
          const problems = users.map((u) => ({ code: 'IN_USE', path: u.path, reason: 'uses it' }));
          throw new AdminError('IN_USE', message, problems);
        }
        const data = { ...org, [section]: list(org).filter((e) => e[idField] !== id) };
        return { data, focus: { section, id, noun, title: `Deleting ${noun} "${id}" is refused` } };
      },
    });
    return { deleted: id, changedPolicies: result.changedPolicies };
  });
}

/** The request body as an entry, or a 400 saying what to send. */
export function entryBody(body: unknown, noun: string): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    return body as Record<string, unknown>;
  }
  const message = `Send the ${noun} as a JSON object (Content-Type: application/json).`;
  throw new AdminError('BAD_REQUEST', message, [
    { code: 'BAD_REQUEST', path: '', reason: 'must be a JSON object' },
  ]);
}

// A readable id from the name ("ACME Windows 11" → "acme-windows-11"), made unique.
function newId(
  org: OrgConfig,
  body: Entry,
  spec: CollectionSpec,
  find: (org: OrgConfig, id: string) => Entry | undefined,
): string | undefined {
  if (!spec.idFromName || body[spec.idField] !== undefined) return undefined;
  const name = typeof body.name === 'string' ? body.name : '';
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || spec.noun.replace(/\W+/g, '-');
  let id = base;
  for (let n = 2; find(org, id); n += 1) id = `${base}-${n}`;
  return id;
}
