import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Secrets a problem report must not hold, found in the home folder and the environment. */
export interface ReportSecrets {
  readonly licenseKeys: readonly string[];
  readonly adminTokens: readonly string[];
  readonly proxyPasswords: readonly string[];
}

// The file a portal keeps its admin token in (electron/portal/admin/admin-token.ts); `provisim
// portal`, `provisim demo` and the app's embedded portal keep their data in folders of the home.
const ADMIN_TOKEN_FILE = 'admin-token';

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'all_proxy'];

/**
 * The secrets of a home: the license keys and proxy passwords its settings files hold (their
 * text, read even when it is not valid JSON), the admin tokens of portals kept in its folders,
 * and the passwords of the environment's proxies.
 */
export async function findSecrets(
  home: string,
  settingsTexts: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ReportSecrets> {
  const licenseKeys = settingsTexts.flatMap((text) => jsonStringValues(text, 'licenseKey'));
  const proxies = settingsTexts.flatMap((text) => jsonStringValues(text, 'proxyUrl'));
  for (const name of PROXY_VARIABLES) {
    for (const key of [name, name.toUpperCase()]) {
      if (env[key]) proxies.push(env[key]);
    }
  }
  return {
    licenseKeys: unique(licenseKeys),
    adminTokens: unique(await adminTokens(home)),
    proxyPasswords: unique(proxies.map(proxyPassword).filter((p) => p !== undefined)),
  };
}

/** The password of a proxy URL (as written, percent-encoded), if it has one. */
export function proxyPassword(proxyUrl: string): string | undefined {
  const text = /^[a-z][a-z\d+.-]*:\/\//i.test(proxyUrl) ? proxyUrl : `http://${proxyUrl}`;
  if (URL.canParse(text)) return new URL(text).password || undefined;
  // Not a URL (a typo): everything between "user:" and the last "@" may be the password.
  return /\/\/[^/:@]*:(.*)@/.exec(text)?.[1] || undefined;
}

/** Every string value of `key` in a JSON text, at any depth; found by pattern, so also in a corrupt file. */
function jsonStringValues(text: string, key: string): string[] {
  const pattern = new RegExp(`"${key}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`, 'g');
  const values: string[] = [];
  for (const match of text.matchAll(pattern)) {
    try {
      values.push(JSON.parse(match[1]!) as string);
    } catch {
      values.push(match[1]!.slice(1, -1));
    }
  }
  return values.filter((value) => value.trim() !== '');
}

async function adminTokens(home: string): Promise<string[]> {
  let folders: string[];
  try {
    const entries = await readdir(home, { withFileTypes: true });
    folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
  const tokens = await Promise.all(
    folders.map(async (folder) => {
      try {
        return (await readFile(join(home, folder, ADMIN_TOKEN_FILE), 'utf8')).trim();
      } catch {
        return '';
      }
    }),
  );
  return tokens.filter((token) => token !== '');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
