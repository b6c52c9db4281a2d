/** A license key with all but its last four characters hidden, for logs and listings. */
export function redactLicenseKey(key: string): string {
  // Short keys would be mostly revealed by their last four characters: hide them whole.
  return key.length >= 8 ? `****${key.slice(-4)}` : '****';
}
