import { z } from 'zod';

const count = z.number().int().positive();
const bytes = z.number().int().nonnegative();
const ms = z.number().int().nonnegative();

/** Which attempts of a fault's scope it applies to: the first N, the Nth, from the Nth on, or every. */
export const faultAttemptsSchema = z.union([
  z.literal('every'),
  z.strictObject({ first: count }),
  z.strictObject({ nth: count }),
  z.strictObject({ from: count }),
]);
/** An attempt selector. */
export type FaultAttempts = z.infer<typeof faultAttemptsSchema>;

/** Which requests a fault applies to; every field narrows it and absent fields match all. */
export const faultScopeSchema = z.strictObject({
  // An exact path, or a prefix when it ends in "*".
  paths: z.array(z.string().startsWith('/', 'must start with "/"')).min(1).optional(),
  methods: z.array(z.string().min(1)).min(1).optional(),
  range: z.enum(['with', 'without', 'any']).optional(),
  attempts: faultAttemptsSchema.optional(),
});
/** A fault's scope. */
export type FaultScope = z.infer<typeof faultScopeSchema>;

const common = {
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"')
    .optional(),
  toxicity: z.number().min(0).max(1).default(1),
  scope: faultScopeSchema.optional(),
};

function variant<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.strictObject({ type: z.literal(type), ...common, ...shape });
}

const POLICY_MUTATIONS = [
  'malformed_json',
  'wrong_types',
  'oversized_fields',
  'javascript_url',
  'file_url',
  'non_hex_checksum',
  'wrong_checksum',
] as const;

const TLS_CERTIFICATES = ['untrusted', 'expired', 'wrong_host'] as const;

// The certificate is chosen at the handshake, before there is a request to match a scope against,
// so a tls fault applies to every new connection: a scope or a toxicity below 1 is refused.
const tlsFault = variant('tls', { certificate: z.enum(TLS_CERTIFICATES) })
  .refine((spec) => spec.scope === undefined, {
    path: ['scope'],
    message: 'a tls fault applies to every new connection and takes no scope',
  })
  .refine((spec) => spec.toxicity === 1, {
    path: ['toxicity'],
    message: 'a tls fault applies to every new connection and takes no toxicity below 1',
  });

/** One fault the portal injects: its type, parameters, probability and scope. */
export const faultSpecSchema = z.discriminatedUnion('type', [
  // TCP-like, named after Toxiproxy's toxics.
  variant('latency', { latencyMs: ms, jitterMs: ms.optional() }),
  variant('bandwidth', { bytesPerSec: count }),
  variant('slow_close', { delayMs: ms }),
  variant('timeout', { afterMs: ms.optional() }),
  variant('reset_peer', { afterBytes: bytes.optional(), afterMs: ms.optional() }),
  variant('slicer', { averageSize: count, sizeVariation: bytes.optional(), delayMs: ms }),
  variant('limit_data', { bytes }),
  // Back up by itself after forMs; without it, down until removed (the API is down too).
  variant('down', { forMs: ms.optional() }),
  // TLS: needs a portal started with HTTPS.
  tlsFault,
  // HTTP.
  variant('status', {
    status: z.number().int().min(100).max(599),
    retryAfter: z.union([z.string().min(1), bytes]).optional(),
    body: z.string().optional(),
  }),
  variant('slow_first_byte', { delayMs: ms }),
  variant('ignore_range', {}),
  variant('wrong_content_range', { shiftBy: z.number().int() }),
  variant('changing_validators', {}),
  variant('content_length', {
    mode: z.enum(['wrong', 'missing']),
    delta: z.number().int().optional(),
  }),
  variant('chunked', {}),
  variant('gzip', {}),
  variant('corrupt', { offset: bytes, length: count.optional() }),
  variant('truncate', { atBytes: bytes }),
  // inFile: atBytes is a file offset (a resume that starts past it never stalls), not a body offset.
  variant('stall', { atBytes: bytes, forMs: ms.optional(), inFile: z.boolean().optional() }),
  variant('redirect', { hops: count.max(50), crossHost: z.boolean().optional() }),
  variant('redirect_loop', {}),
  variant('html_page', {}),
  variant('other_arch_image', {}),
  // Policy and portal state.
  variant('policy', { mutation: z.enum(POLICY_MUTATIONS) }),
  variant('revoke_license', { licenseKey: z.string().min(1), afterImageBytes: bytes }),
  variant('bump_revision', { afterImageBytes: bytes }),
]);

/** A checked fault specification. */
export type FaultSpec = z.infer<typeof faultSpecSchema>;
/** A fault specification as written, before defaults are filled in. */
export type FaultSpecInput = z.input<typeof faultSpecSchema>;
/** The name of a fault type. */
export type FaultType = FaultSpec['type'];
/** The fault of one type. */
export type FaultOf<T extends FaultType> = Extract<FaultSpec, { type: T }>;
/** The certificates a tls fault can make the portal present. */
export type TlsCertificate = (typeof TLS_CERTIFICATES)[number];
/** Every way the policy fault can spoil a check-in answer. */
export type PolicyMutation = (typeof POLICY_MUTATIONS)[number];

/** Every fault type, in catalogue order. */
export const FAULT_TYPES: readonly FaultType[] = faultSpecSchema.options.map(
  (option) => option.shape.type.value,
);
