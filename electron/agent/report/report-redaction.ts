import type { ReportSecrets } from './report-secrets.ts';

/** A license key shown by its last four characters only (a short key not at all). */
export function redactKeyToEnd(key: string): string {
  // Short keys would be mostly revealed by their last four characters: hide them whole.
  return key.length >= 8 ? `…${key.slice(-4)}` : '…';
}

/** A URL with the password of its user info removed (the user name is kept). */
export function withoutPassword(url: string): string {
  if (URL.canParse(url)) {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '';
    return parsed.href;
  }
  return url.replace(/\/\/([^/:@]*):.*@/, '//$1@');
}

// Secrets that have no file to find them in: credentials in URLs, bearer tokens, signed links.
// The scheme is bounded and starts a word: a long run of letters must not be rescanned from each one.
const URL_PASSWORD = /\b([a-z][a-z\d+.-]{0,30}:\/\/[^\s/?#@:"'<>]*):[^\s/?#"'<>]*@/gi;
const BEARER = /\b(Bearer\s+)[\w.~+/-]{8,}=*/gi;
const SECRET_QUERY = /([?&](?:token|access_token|sig|signature|password)=)[^&\s"'#<>]+/gi;

/** Removes every known secret from text, in each form it may be written in (URL- or JSON-escaped). */
export class Redactor {
  readonly #replacements: (readonly [string, string])[];

  constructor(secrets: ReportSecrets) {
    const pairs = new Map<string, string>();
    const add = (secret: string, shown: string) => {
      for (const form of spellings(secret))
        if (form !== '' && !pairs.has(form)) pairs.set(form, shown);
    };
    for (const key of secrets.licenseKeys) add(key, redactKeyToEnd(key));
    for (const token of secrets.adminTokens) add(token, '[admin token removed]');
    for (const password of secrets.proxyPasswords) add(password, '****');
    // Longest first, so that a secret holding another is replaced whole.
    this.#replacements = [...pairs].sort(([a], [b]) => b.length - a.length);
  }

  /** The text with every secret replaced. */
  text(input: string): string {
    let text = input;
    for (const [secret, shown] of this.#replacements) text = text.replaceAll(secret, shown);
    return text
      .replace(URL_PASSWORD, '$1:****@')
      .replace(BEARER, '$1****')
      .replace(SECRET_QUERY, '$1****');
  }
}

function spellings(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret)]);
  try {
    forms.add(decodeURIComponent(secret));
  } catch {
    // Not percent-encoded: the forms above cover it.
  }
  for (const form of [...forms]) forms.add(JSON.stringify(form).slice(1, -1));
  return [...forms];
}
