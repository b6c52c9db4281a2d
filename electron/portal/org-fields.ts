import { z } from 'zod';

/** The reasons a field that is missing or blank gets, so callers can tell them from bad values. */
export const MISSING_REASONS = ['is required', 'must not be empty'] as const;

/** Text that must hold more than blanks. */
export const nonBlank = z.string().refine((s) => s.trim().length > 0, MISSING_REASONS[1]);

/** An image link: an absolute URL to a file elsewhere, or a path this portal serves itself. */
export const imageUrl = z
  .string()
  .refine((s) => s.trim().length > 0, { message: MISSING_REASONS[1], abort: true })
  .refine(
    (s) => s.startsWith('/') || URL.canParse(s),
    'must be an absolute URL or a path starting with "/" (hosted on this portal)',
  );

/** An entry id: letters, digits, `.`, `_` and `-`. */
export const id = z
  .string()
  // Agents take a policy or image id of up to 200 characters: "group:" plus this must fit.
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"');

// The checksum is kept exactly as pasted (it may be a whole `shasum` line); the agent checks it.
const enabledImage = z.strictObject({
  enabled: z.literal(true),
  url: imageUrl,
  checksum: nonBlank,
});
const disabledImage = z.strictObject({
  enabled: z.literal(false),
  url: z.string().optional(),
  checksum: z.string().optional(),
});

/** The image of one architecture inside a golden image. */
export const archImageSchema = z.discriminatedUnion('enabled', [enabledImage, disabledImage]);
/** An architecture's image, enabled or not. */
export type ArchImage = z.infer<typeof archImageSchema>;

/** A Business Edition "VM for … Mac" payload. */
export const profilePayloadSchema = z.discriminatedUnion('enabled', [
  z.strictObject({
    enabled: z.literal(true),
    name: nonBlank,
    description: z.string().default(''),
    url: imageUrl,
    checksum: nonBlank,
  }),
  z.strictObject({
    enabled: z.literal(false),
    name: z.string().optional(),
    description: z.string().optional(),
    url: z.string().optional(),
    checksum: z.string().optional(),
  }),
]);
/** A profile payload, enabled or not. */
export type ProfilePayload = z.infer<typeof profilePayloadSchema>;
