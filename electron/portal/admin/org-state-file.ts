import { join } from 'node:path';
import { z } from 'zod';
import { OrgConfigError, parseOrgConfig } from '../org-config.ts';
import type { OrgConfig } from '../org-config-schema.ts';
import { invalidState, readJsonFile, writeJsonFile } from './data-files.ts';

/** Name of the organisation state file inside the data folder. */
export const ORG_STATE_FILE = 'org-state.json';

/** The organisation with its revisions, as the store holds it. */
export interface OrgSnapshot {
  readonly org: OrgConfig;
  /** The organisation-wide revision: 1 at first, plus one per whole replacement. */
  readonly revision: number;
  /** How many admin changes touched each policy id; its revision is `revision` plus this. */
  readonly policyBumps: Readonly<Record<string, number>>;
}

const orgStateSchema = z.object({
  format: z.literal(1),
  revision: z.number().int().positive(),
  policyBumps: z.record(z.string(), z.number().int().nonnegative()),
  org: z.unknown(),
});

/** Path of the organisation state file of a data folder. */
export function orgStatePath(dataDir: string): string {
  return join(dataDir, ORG_STATE_FILE);
}

/** Loads the saved organisation, checked by the same rules as a config file; undefined if none. */
export async function readOrgState(file: string): Promise<OrgSnapshot | undefined> {
  const saved = await readJsonFile(file, orgStateSchema);
  if (!saved) return undefined;
  try {
    const org = parseOrgConfig(saved.org, file);
    return { org, revision: saved.revision, policyBumps: saved.policyBumps };
  } catch (error) {
    if (!(error instanceof OrgConfigError)) throw error;
    const first = error.problems[0];
    throw invalidState(file, `its organisation breaks a rule (${first?.path}: ${first?.reason})`);
  }
}

/** Saves the organisation and its revisions atomically. */
export async function writeOrgState(file: string, snapshot: OrgSnapshot): Promise<void> {
  await writeJsonFile(file, {
    format: 1,
    revision: snapshot.revision,
    policyBumps: snapshot.policyBumps,
    org: snapshot.org,
  });
}
