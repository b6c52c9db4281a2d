import { z } from 'zod';
import { archSchema, policySchema } from './protocol.ts';
import { SHA256_HEX } from './web-values.ts';

/** Where a registered VM came from: a golden image download or the Installation Assistant. */
export const vmSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('golden-image'),
    goldenImageId: z.string(),
    goldenImageName: z.string(),
    url: z.string(),
    sha256: z.string().regex(SHA256_HEX),
    policyRevision: z.number().int().nonnegative(),
    // The archive's size, when the policy gave it: an update offer says how the size changes.
    sizeBytes: z.number().int().nonnegative().optional(),
  }),
  z.object({ kind: z.literal('assistant'), os: z.string() }),
]);
/** Source of a registered VM. */
export type VmSource = z.infer<typeof vmSourceSchema>;

/** One VM in the local registry. */
export const vmRecordSchema = z.object({
  uuid: z.string().min(1),
  name: z.string().min(1),
  path: z.string().min(1),
  arch: archSchema,
  source: vmSourceSchema,
  registeredAt: z.iso.datetime(),
  state: z.enum(['stopped', 'running']).default('stopped'),
  // A fleet Mac with --disk none checked the image but wrote no VM: `path` names where it would be.
  simulated: z.literal(true).optional(),
  // Registered in Parallels Desktop through prlctl (uuid is Parallels'); absent: Provisim's own registry only.
  hypervisor: z.literal('parallels').optional(),
});
/** A registered VM. */
export type VmRecord = z.infer<typeof vmRecordSchema>;

/** The last policy received, kept for If-None-Match and offline use. */
export const policyCacheSchema = z.object({
  etag: z.string(),
  policy: policySchema,
  checkInIntervalSec: z.number().int().positive(),
  portalUrl: z.string(),
  licenseKey: z.string(),
});
/** Which hypervisor backend registers VMs: `auto` picks Parallels Desktop when prlctl answers. */
export const BACKEND_CHOICES = ['auto', 'parallels', 'simulated'] as const;
/** A backend choice, as --backend and Settings take it. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
/** The backend a run really uses. */
export type BackendKind = Exclude<BackendChoice, 'auto'>;

/** A cached policy. */
export type PolicyCache = z.infer<typeof policyCacheSchema>;

/**
 * Everything the agent keeps in its settings store. The desktop app opens the same file through
 * electron-store with this schema; the headless agent through conf.
 */
export const agentStoreSchema = z.object({
  deviceId: z.uuid().optional(),
  // Made once, like the device id: the simulated Mac's serial number.
  serialNumber: z
    .string()
    .regex(/^[A-Z0-9]{8,16}$/)
    .optional(),
  portalUrl: z.string().optional(),
  /** A PEM file of extra CAs trusted beside the system roots (the organisation's own CA). */
  caFile: z.string().optional(),
  // An HTTP proxy for the portal and the image downloads, like http://proxy.example:3128.
  proxyUrl: z.string().optional(),
  licenseKey: z.string().optional(),
  archOverride: archSchema.optional(),
  vmDir: z.string().optional(),
  backend: z.enum(BACKEND_CHOICES).optional(),
  checkInIntervalSec: z.number().int().positive().optional(),
  lastConnectedAt: z.iso.datetime().optional(),
  policiesReceivedAt: z.iso.datetime().optional(),
  policyCache: policyCacheSchema.optional(),
  vms: z.array(vmRecordSchema).default([]),
});
/** The agent's store contents. */
export type AgentStoreData = z.infer<typeof agentStoreSchema>;
