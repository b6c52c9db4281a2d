/** A SHA-256 digest as the agent keeps it: 64 lower-case hex digits. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Whether a URL uses a scheme the agent may fetch (http or https, never file:, javascript:...). */
export function isWebUrl(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}
