import { inspect } from 'node:util';
import got from 'got';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { proxyAgents } from '../../electron/agent/proxy-agents.ts';
import { proxyFailureIn } from '../../electron/agent/proxy-errors.ts';
import { useForwardProxies } from '../helpers/forward-proxy.ts';

const startProxy = useForwardProxies();
const PASSWORD = 'never-in-a-log';

/** What a logger writes for an error: pino's JSON line for `{ err }`. */
function logged(error: unknown): string {
  let line = '';
  pino({}, { write: (text: string) => void (line += text) }).error({ err: error }, 'failed');
  return line;
}

describe('proxy agents', () => {
  it('keep the proxy password out of the errors got reports, inspected or logged', async () => {
    const proxy = await startProxy({ user: 'agent', password: 'another' });
    const agent = proxyAgents(proxy.urlWith('agent', PASSWORD), {});
    const error = await got(`http://127.0.0.1:9/`, { agent, retry: { limit: 0 } }).catch(
      (caught: unknown) => caught,
    );
    expect(proxyFailureIn(error)).toMatchObject({ code: 'PROXY_AUTH_REQUIRED' });
    // got keeps its options, with the agents, on the error.
    expect(inspect(error, { depth: 10 })).toContain('HttpTunnelAgent');
    expect(inspect(error, { depth: 10 })).not.toContain(PASSWORD);
    expect(logged(error)).not.toContain(PASSWORD);
    expect(proxy.seen).toEqual(['CONNECT 127.0.0.1:9']);
  });

  it('are none without an explicit proxy or one in the environment', () => {
    expect(proxyAgents(undefined, {})).toBeUndefined();
    expect(proxyAgents('', { NO_PROXY: '*' })).toBeUndefined();
    expect(proxyAgents(undefined, { https_proxy: 'proxy:3128' })).toEqual({
      http: undefined,
      https: expect.any(Object),
    });
  });
});
