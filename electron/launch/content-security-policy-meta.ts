import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts';

// Browsers ignore these in a <meta> policy and log an error for each (a console error the admin
// pages' end-to-end test counts); the response headers carry them.
const HEADER_ONLY_DIRECTIVES: ReadonlySet<string> = new Set([
  'frame-ancestors',
  'report-uri',
  'sandbox',
]);

const CHARSET_META = /<meta charset="[^"]*"\s*\/?>/i;
const CSP_META = /<meta[^>]*http-equiv\s*=\s*["']?content-security-policy/i;

/** CONTENT_SECURITY_POLICY less the directives a `<meta>` element cannot deliver. */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !HEADER_ONLY_DIRECTIVES.has(directive.split(' ')[0]!))
  .join('; ');

/** Puts the CSP `<meta>` right after a page's `<meta charset>`, before anything it governs. */
export function addContentSecurityPolicyMeta(html: string, page: string): string {
  if (CSP_META.test(html)) {
    throw new Error(`${page} has a CSP <meta> of its own; the build adds the shared policy.`);
  }
  const charset = CHARSET_META.exec(html);
  if (charset === null) throw new Error(`${page} has no <meta charset> to put the CSP after.`);
  const content = META_CONTENT_SECURITY_POLICY.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  const end = charset.index + charset[0].length;
  const meta = `\n    <meta http-equiv="Content-Security-Policy" content="${content}" />`;
  return html.slice(0, end) + meta + html.slice(end);
}

/** A Vite plugin that gives every page the CSP of shared/content-security-policy.ts as a `<meta>`. */
export function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'provisim:content-security-policy-meta',
    transformIndexHtml: (html, { path }) => addContentSecurityPolicyMeta(html, path),
  };
}
