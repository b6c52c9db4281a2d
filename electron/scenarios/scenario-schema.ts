import { z } from 'zod';
import { ERROR_CODES } from '../../shared/codes.ts';
import { faultSpecSchema } from '../../shared/faults.ts';
import { archSchema } from '../../shared/protocol.ts';
import { RUN_OUTCOMES } from '../../shared/run-result.ts';
import { fleetExpectSchema } from './fleet-expectations.ts';
import { ORG_FIXTURES } from './scenario-org-fixtures.ts';

const bytes = z.number().int().nonnegative();
const percent = z.number().min(0).max(100);
const eventName = z.string().min(1);

// Exactly one point is allowed so that a step never means two different moments.
function onePoint<T extends z.ZodObject>(schema: T, keys: readonly string[]): T {
  return schema.refine(
    (step) =>
      keys.filter((key) => (step as Record<string, unknown>)[key] !== undefined).length === 1,
    { message: `needs exactly one of: ${keys.join(', ')}` },
  ) as T;
}

/** One step of a scenario, chosen by its `do`. */
export const stepSchema = z.discriminatedUnion('do', [
  z.strictObject({ do: z.literal('run') }),
  z.strictObject({ do: z.literal('wait-for-event'), event: eventName }),
  onePoint(
    z.strictObject({
      do: z.literal('cancel-at'),
      bytes: bytes.optional(),
      percent: percent.optional(),
    }),
    ['bytes', 'percent'],
  ),
  onePoint(
    z.strictObject({
      do: z.literal('kill-at'),
      bytes: bytes.optional(),
      percent: percent.optional(),
      event: eventName.optional(),
    }),
    ['bytes', 'percent', 'event'],
  ),
  z.strictObject({ do: z.literal('restart') }),
  z
    .strictObject({
      do: z.literal('change-portal'),
      // `true` revokes the agent's own license; a string names another key.
      revokeLicense: z
        .union([z.literal(true), z.string().min(1)], { error: 'must be true or a license key' })
        .optional(),
      bumpRevision: z.literal(true).optional(),
      faults: z.array(faultSpecSchema).optional(),
      // Ids of faults to lift (give faults an `id` to name them here).
      removeFaults: z.array(z.string().min(1)).optional(),
      clearFaults: z.literal(true).optional(),
    })
    .refine(
      (s) => s.revokeLicense ?? s.bumpRevision ?? s.faults ?? s.removeFaults ?? s.clearFaults,
      {
        message:
          'needs at least one of: revokeLicense, bumpRevision, faults, removeFaults, clearFaults',
      },
    ),
]);
/** A scenario step. */
export type Step = z.infer<typeof stepSchema>;

/** A built-in organisation, with the size and format of the images the runner makes for it. */
export const fixtureOrgSchema = z.strictObject({
  fixture: z.enum(ORG_FIXTURES, { error: `must be one of: ${ORG_FIXTURES.join(', ')}` }),
  // Size of the disk data in each generated image; the archive is a little larger.
  imageBytes: bytes
    .min(1024)
    .max(256 * 1024 * 1024)
    .optional(),
  format: z.enum(['pvmp', 'zip']).optional(),
});
/** A fixture organisation reference. */
export type FixtureOrg = z.infer<typeof fixtureOrgSchema>;

/** The portal's organisation: a built-in fixture by name, or an inline configuration. */
export const scenarioOrgSchema = z.union(
  [
    fixtureOrgSchema,
    // Checked later by the portal's parseOrgConfig, which reports its own problems.
    z.record(z.string(), z.unknown()),
  ],
  { error: 'must be { fixture: NAME } or an inline organisation configuration' },
);
/** A scenario's organisation. */
export type ScenarioOrg = z.infer<typeof scenarioOrgSchema>;

/** How the agent is started. */
export const scenarioAgentSchema = z.strictObject({
  license: z.string().min(1),
  arch: archSchema.optional(),
  answer: z.enum(['accept', 'decline']).default('accept'),
  force: z.boolean().optional(),
  // Trust the HTTPS portal's test CA (only with `https: true`); false shows an untrusted portal.
  trustCa: z.boolean().default(true),
  // A short stall timeout and retry budget keep a scenario about a hanging server quick.
  stallTimeoutMs: z.number().int().positive().optional(),
  retries: z.number().int().positive().optional(),
  // The first retry's wait (backoff doubles it); the product's default is 1000.
  retryDelayMs: z.number().int().positive().optional(),
  // Files made (empty, with their folders) in the agent's home before the first run.
  homeFiles: z.array(z.string().min(1)).optional(),
  // A fleet of this many Macs in one `provisim fleet` process instead of one `provisim run`.
  macs: z.number().int().min(2).max(500).optional(),
  // For a fleet: each Mac's chance to accept (`answer` is one Mac's), and the seed of the choices.
  acceptRate: z.number().min(0).max(1).optional(),
  seed: z.number().int().positive().optional(),
  // For a fleet: `none` checks every image byte but writes no VM (registered as simulated).
  disk: z.enum(['full', 'none']).optional(),
});
/** A scenario's agent settings. */
export type ScenarioAgent = z.infer<typeof scenarioAgentSchema>;

/** What must hold once the steps are done. */
export const scenarioExpectSchema = z.strictObject({
  // Required for one Mac; a fleet scenario counts its Macs' outcomes in `fleet` instead.
  outcome: z.enum(RUN_OUTCOMES).optional(),
  fleet: fleetExpectSchema.optional(),
  errorCode: z.enum(ERROR_CODES).optional(),
  // An ordered subsequence: other events may come between them.
  events: z.array(eventName).optional(),
  registeredVms: z.number().int().nonnegative().optional(),
  // Names of the registered VMs, in registration order.
  vmNames: z.array(z.string().min(1)).optional(),
  // Globs relative to the agent's home, like `downloads/*.part`.
  absentFiles: z.array(z.string().min(1)).optional(),
  // Globs that must each match at least one file, like `downloads/*.part` (the partial is kept).
  presentFiles: z.array(z.string().min(1)).optional(),
  // Bytes, or a multiple of the image size like `1.2x`.
  maxBytesTransferred: z
    .union(
      [
        bytes,
        z.string().regex(/^\d+(\.\d+)?x$/, 'must be a number of bytes or a multiple like "1.2x"'),
      ],
      {
        error: 'must be a number of bytes or a multiple of the image size like "1.2x"',
      },
    )
    .optional(),
  maxSeconds: z.number().positive().optional(),
});
/** A scenario's expectations. */
export type ScenarioExpect = z.infer<typeof scenarioExpectSchema>;

// What holds only for one Mac, and what only for a fleet.
const SINGLE_MAC_ONLY = ['outcome', 'errorCode', 'events', 'registeredVms', 'vmNames'] as const;

// The file's shape, as docs/scenario-schema.json publishes it; the rules across fields follow.
const scenarioShapeSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  org: scenarioOrgSchema,
  // Serve the portal over HTTPS with a freshly made test CA.
  https: z.boolean().optional(),
  // A run longer than this is stopped and fails the scenario; 120 by default.
  timeoutSeconds: z.number().positive().max(3600).default(120),
  faults: z.array(faultSpecSchema).optional(),
  agent: scenarioAgentSchema,
  steps: z.array(stepSchema).optional(),
  expect: scenarioExpectSchema,
});

/** One scenario file. */
export const scenarioSchema = scenarioShapeSchema.superRefine((scenario, ctx) => {
  const { agent, expect, steps } = scenario;
  const issue = (path: PropertyKey[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  if (agent.macs === undefined) {
    if (expect.outcome === undefined) issue(['expect', 'outcome'], 'is required');
    if (expect.fleet) issue(['expect', 'fleet'], 'needs agent.macs (a fleet)');
    for (const key of ['acceptRate', 'seed', 'disk'] as const) {
      if (agent[key] !== undefined) issue(['agent', key], 'needs agent.macs (a fleet)');
    }
    return;
  }
  if (!expect.fleet) issue(['expect', 'fleet'], 'is required for a fleet (agent.macs)');
  if (steps) issue(['steps'], 'are for one Mac; a fleet runs once');
  for (const key of SINGLE_MAC_ONLY) {
    if (expect[key] !== undefined) issue(['expect', key], 'is for one Mac; use expect.fleet');
  }
});
/** A checked scenario. */
export type Scenario = z.infer<typeof scenarioSchema>;
/** A scenario as written, before defaults are filled in. */
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** The JSON Schema of a scenario file, as published in docs/scenario-schema.json. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioShapeSchema, { io: 'input', reused: 'ref' });
  return {
    $schema: schema.$schema,
    $id: 'https://provisim.dev/schemas/scenario.json',
    title: 'Provisim scenario',
    ...schema,
  };
}
