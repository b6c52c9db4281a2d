import { describe, expect, it } from 'vitest';
import type { TlsCertificate } from '../../../shared/faults.ts';
import { openAgentStore } from '../../../electron/agent/agent-store.ts';
import type { RunningPortal } from '../../../electron/portal/server.ts';
import { WRONG_HOST } from '../../../electron/portal/tls/test-pki.ts';
import { leftovers } from '../../helpers/agent-fixture.ts';
import { faultApi } from './https-client.ts';
import { useHttpsFixture } from './https-fixture.ts';

const { setup, run } = useHttpsFixture();

// Every certificate problem is TLS_UNTRUSTED; the message names the problem and Node's code.
const REFUSALS: readonly (readonly [TlsCertificate, RegExp])[] = [
  ['untrusted', /does not trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)\..*--ca-file/],
  ['expired', /has expired \(CERT_HAS_EXPIRED\)/],
  ['wrong_host', new RegExp(`another host: DNS:${WRONG_HOST}, not 127\\.0\\.0\\.1 \\(`)],
];

async function expectNothingLeft(home: string, portal: RunningPortal): Promise<void> {
  expect(await leftovers(home)).toEqual([]);
  expect(openAgentStore(home).get('vms')).toEqual([]);
  expect(portal.state.events().filter((e) => e.type === 'registered')).toEqual([]);
}

describe('the agent against the HTTPS portal', () => {
  it('registers the golden image when given the CA file', async () => {
    const { home, portal, caFile, arm } = await setup();
    const { result, events } = run(portal, home, { caFile });
    const outcome = await result;
    expect(outcome.error).toBeUndefined();
    expect(outcome).toMatchObject({
      outcome: 'registered',
      vm: { source: { sha256: arm.sha256 } },
    });
    expect(await leftovers(home)).toEqual([]);
    // Every event reached the portal over HTTPS too.
    expect(portal.state.events().map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('fails with TLS_UNTRUSTED without the CA file, leaving nothing behind', async () => {
    const { home, portal } = await setup();
    const outcome = await run(portal, home).result;
    expect(outcome).toMatchObject({ outcome: 'failed', error: { code: 'TLS_UNTRUSTED' } });
    expect(outcome.error?.message).toMatch(
      /management portal at 127\.0\.0\.1:\d+ .*does not trust/,
    );
    expect(portal.state.devices()).toEqual([]);
    await expectNothingLeft(home, portal);
  });

  it.each(REFUSALS)(
    'fails with TLS_UNTRUSTED under the %s certificate fault, leaving nothing behind',
    async (certificate, wording) => {
      const { home, portal, caFile } = await setup({ faults: [{ type: 'tls', certificate }] });
      const outcome = await run(portal, home, { caFile }).result;
      expect(outcome).toMatchObject({ outcome: 'failed', error: { code: 'TLS_UNTRUSTED' } });
      expect(outcome.error?.message).toMatch(wording);
      expect(portal.state.devices()).toEqual([]);
      await expectNothingLeft(home, portal);
    },
  );

  it('stops the image download when the fault starts after the invitation', async () => {
    const { home, portal, caFile } = await setup();
    const { result, events } = run(portal, home, {
      caFile,
      decide: async () => {
        portal.faults.add({ type: 'tls', certificate: 'expired' });
        return 'accept';
      },
    });
    const outcome = await result;
    expect(outcome).toMatchObject({ outcome: 'failed', error: { code: 'TLS_UNTRUSTED' } });
    expect(outcome.error?.message).toMatch(/image server at .*has expired/);
    expect(events.map((e) => e.type)).toContain('download-failed');
    expect(events.map((e) => e.type)).not.toContain('download-finished');
    // Nothing was received, so no empty partial is kept either.
    expect(await leftovers(home)).toEqual([]);
    expect(openAgentStore(home).get('vms')).toEqual([]);
  });

  it('succeeds again once the fault is removed through the fault API', async () => {
    const { home, portal, caFile } = await setup();
    const spec = { id: 'bad-cert', type: 'tls', certificate: 'wrong_host' };
    expect(await faultApi(portal, { caFile }, 'POST', '', spec)).toMatchObject({ status: 201 });
    const refused = await run(portal, home, { caFile }).result;
    expect(refused).toMatchObject({ outcome: 'failed', error: { code: 'TLS_UNTRUSTED' } });
    // The certificate is wrong for every client now: the tester skips verification, like curl -k.
    const removed = await faultApi(portal, 'insecure', 'DELETE', '/bad-cert');
    expect(removed).toMatchObject({ status: 204 });
    const outcome = await run(portal, home, { caFile }).result;
    expect(outcome.error).toBeUndefined();
    expect(outcome.outcome).toBe('registered');
  });
});
