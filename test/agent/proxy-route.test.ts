import { describe, expect, it } from 'vitest';
import { redactProxyUrl } from '../../electron/agent/proxy-errors.ts';
import { noProxyMatcher, proxyRoute } from '../../electron/agent/proxy-route.ts';
import { provisimFailure } from '../helpers/provisim-failure.ts';

const hrefs = (route: ReturnType<typeof proxyRoute>) => ({
  http: route?.http && `${route.http.url.href} (${route.http.source})`,
  https: route?.https && `${route.https.url.href} (${route.https.source})`,
});

describe('the proxy for a request', () => {
  it('is the explicit one for both schemes, whatever the environment says', () => {
    const route = proxyRoute('http://set:3128', {
      HTTPS_PROXY: 'http://env:1',
      http_proxy: 'env:2',
    });
    expect(hrefs(route)).toEqual({
      http: 'http://set:3128/ (the proxy setting)',
      https: 'http://set:3128/ (the proxy setting)',
    });
  });

  it('comes from the scheme’s variable, lower case first, upper case HTTP_PROXY too', () => {
    expect(hrefs(proxyRoute(undefined, { HTTP_PROXY: 'http://upper:1' }))).toEqual({
      http: 'http://upper:1/ (HTTP_PROXY)',
      https: undefined,
    });
    const both = { https_proxy: 'lower:2', HTTPS_PROXY: 'http://upper:2' };
    expect(hrefs(proxyRoute('  ', both))).toEqual({
      http: undefined,
      https: 'http://lower:2/ (https_proxy)',
    });
    expect(proxyRoute(undefined, { NO_PROXY: '*', HTTP_PROXY: ' ' })).toBeUndefined();
  });

  it('refuses what is not an http(s) proxy URL, naming where it came from, password hidden', async () => {
    const error = await provisimFailure(
      (async () => proxyRoute(undefined, { HTTPS_PROXY: 'socks5://me:hunter2@proxy:1080' }))(),
    );
    expect(error.code).toBe('USAGE');
    expect(error.message).toContain('"socks5://me:****@proxy:1080" (HTTPS_PROXY)');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('hunter2');
    expect(redactProxyUrl('http://me:p@ss/word@proxy:3128/')).toBe('http://me:****@proxy:3128/');
    expect(redactProxyUrl('http://proxy:3128')).toBe('http://proxy:3128');
  });
});

describe('NO_PROXY', () => {
  const cases: [list: string, host: string, direct: boolean][] = [
    ['example.com', 'example.com', true],
    ['example.com', 'portal.example.com', true],
    ['example.com', 'notexample.com', false],
    ['.example.com', 'portal.example.com', true],
    ['.example.com', 'example.com', true],
    ['*.example.com', 'a.b.example.com', true],
    ['EXAMPLE.com.', 'Portal.Example.COM.', true],
    ['other.org, example.com', 'example.com', true],
    ['*', 'anything.at.all', true],
    ['example.com', '127.0.0.1', false],
    ['localhost', 'localhost', true],
    ['127.0.0.1', '127.0.0.1', true],
    ['127.0.0.1', '127.0.0.2', false],
    ['10.0.0.0/8', '10.20.30.40', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['10.0.0.0/99', '10.0.0.1', false],
    ['::1', '[::1]', true],
    ['[fd00::]/8', 'fd12::1', true],
    ['', 'example.com', false],
  ];
  it.each(cases)('%j for %s: direct %s', (list, host, direct) => {
    expect(noProxyMatcher(list)(host)).toBe(direct);
  });
});
