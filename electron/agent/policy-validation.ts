import type { GoldenImageOffer, Policy } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { isWebUrl } from '../../shared/web-values.ts';

declare const validated: unique symbol;

/** A golden image whose URL is an http(s) link and whose checksum is 64 lower-case hex: only validatePolicy makes one. */
export type ValidatedGoldenImage = GoldenImageOffer & { readonly [validated]: true };

/** A policy whose golden image (if any) passed validation. */
export type ValidatedPolicy = Omit<Policy, 'goldenImage'> & {
  goldenImage: ValidatedGoldenImage | null;
};

const QUOTE_LIMIT = 80;

/** A value quoted for an error message, cut so a pasted blob cannot flood the output. */
function quote(value: string): string {
  const cut = value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value;
  return JSON.stringify(cut);
}

function invalid(message: string, details: Record<string, unknown> = {}): ProvisimError {
  return new ProvisimError('POLICY_INVALID', { message, details });
}

/** The SHA-256 as 64 lower-case hex digits; accepts a pasted `shasum -a 256` line. */
export function normaliseSha256(raw: string): string {
  // `shasum -a 256 file` prints "<hex>  <path>": the first token is the checksum.
  // Stryker disable next-line StringLiteral: split with a limit of 1 always returns one string, so the fallback is never used
  const token = raw.trim().split(/\s+/, 1)[0] ?? '';
  if (token === '') throw invalid('The golden image SHA-256 checksum is empty.');
  if (token.length !== 64) {
    throw invalid(
      `The golden image SHA-256 checksum ${quote(token)} has ${token.length} characters; it must have 64 hex digits.`,
    );
  }
  if (!/^[0-9a-fA-F]{64}$/.test(token)) {
    throw invalid(
      `The golden image SHA-256 checksum ${quote(token)} holds characters other than hex digits (0-9, a-f).`,
    );
  }
  return token.toLowerCase();
}

/** The image link as a URL; only http: and https: are accepted. */
export function validateImageUrl(raw: string): URL {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(`The golden image link ${quote(text)} is not a valid URL.`);
  }
  if (!isWebUrl(url)) {
    throw invalid(
      `The golden image link ${quote(text)} uses ${quote(url.protocol)}; only http: and https: links can be downloaded.`,
      { protocol: url.protocol },
    );
  }
  return url;
}

/** The policy with its golden image URL validated and its checksum normalised. */
export function validatePolicy(policy: Policy): ValidatedPolicy {
  const image = policy.goldenImage;
  if (image === null) return { ...policy, goldenImage: null };
  const url = validateImageUrl(image.url);
  const sha256 = normaliseSha256(image.sha256);
  const goldenImage = { ...image, url: url.href, sha256 } as ValidatedGoldenImage;
  return { ...policy, goldenImage };
}
