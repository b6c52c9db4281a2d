import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { addContentSecurityPolicyMeta } from '../../electron/launch/content-security-policy-meta.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.ts';

const CONFIG = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
const CSP_META = /<meta http-equiv="Content-Security-Policy" content="([^"]*)" \/>/g;

describe('the CSP <meta> of the built pages', () => {
  const pages = new Map<string, string>();
  beforeAll(async () => {
    // In memory: dist/renderer stays as it was.
    const result = await build({ configFile: CONFIG, logLevel: 'silent', build: { write: false } });
    if (!Array.isArray(result) && !('output' in result)) throw new Error('vite started watching');
    for (const output of [result].flat().flatMap((bundle) => bundle.output)) {
      if (output.type === 'asset' && output.fileName.endsWith('.html')) {
        pages.set(output.fileName, String(output.source));
      }
    }
  });

  it('gives both pages the shared policy, less the frame-ancestors a <meta> cannot carry', () => {
    expect([...pages.keys()].sort()).toEqual(['admin/index.html', 'index.html']);
    const expected = CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", '');
    expect(expected).not.toContain('frame-ancestors');
    for (const [name, html] of pages) {
      expect(
        [...html.matchAll(CSP_META)].map((match) => match[1]),
        name,
      ).toEqual([expected]);
    }
  });

  it('puts the policy before every script and stylesheet of the page', () => {
    for (const [name, html] of pages) {
      const meta = html.search(CSP_META);
      expect(meta, name).toBeGreaterThan(html.indexOf('<meta charset'));
      expect(meta, name).toBeLessThan(
        html.search(/<script|<link rel="(?:stylesheet|modulepreload)"/),
      );
    }
  });

  it('refuses a page that carries a CSP <meta> of its own', () => {
    const page = `<head><meta charset="utf-8" /><meta http-equiv="Content-Security-Policy" content="default-src *" /></head>`;
    expect(() => addContentSecurityPolicyMeta(page, '/index.html')).toThrow(/of its own/);
  });
});
