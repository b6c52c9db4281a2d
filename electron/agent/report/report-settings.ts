import { readFile } from 'node:fs/promises';
import { redactKeyToEnd, withoutPassword } from './report-redaction.ts';

/** A settings file as found: its text, or why it could not be read (absent: never written). */
export type SettingsFile =
  | { readonly state: 'read'; readonly text: string }
  | { readonly state: 'missing' }
  | { readonly state: 'unreadable'; readonly reason: string };

/** Reads a settings file as text, without opening a store: a corrupt one is worth reporting too. */
export async function readSettingsFile(path: string): Promise<SettingsFile> {
  try {
    return { state: 'read', text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? { state: 'missing' }
      : { state: 'unreadable', reason: String(code ?? error) };
  }
}

const MAX_DEPTH = 64;

/**
 * The settings as the report holds them: license keys (also the policy cache's) by their last
 * four characters, proxy URLs without their password. Text that is not JSON is kept as text;
 * the report's redaction pass removes the secrets from it.
 */
export function redactSettingsText(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return `${JSON.stringify(redactValue(value, 0), null, 2)}\n`;
}

function redactValue(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) return '[nested too deeply]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (typeof item === 'string' && key === 'licenseKey') return [key, redactKeyToEnd(item)];
      if (typeof item === 'string' && key === 'proxyUrl') return [key, withoutPassword(item)];
      return [key, redactValue(item, depth + 1)];
    }),
  );
}
