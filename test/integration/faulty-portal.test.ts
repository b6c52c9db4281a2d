import { describe, expect, it } from 'vitest';
import { useAgentFixture } from '../helpers/agent-fixture.ts';
import { fixtureOrg } from '../helpers/portal-fixture.ts';

const { setup, run } = useAgentFixture();

describe('the agent against the portal fault engine', () => {
  it('rides out three 503s on the image with Retry-After and registers the VM', async () => {
    const { home, portal } = await setup({
      org: (images) =>
        fixtureOrg(images, {
          faults: [
            {
              type: 'status',
              status: 503,
              retryAfter: 0,
              scope: { paths: ['/images/*'], attempts: { first: 3 } },
            },
          ],
        }),
    });
    const { result, events } = run(portal, home);
    expect((await result).outcome).toBe('registered');
    expect(events.filter((e) => e.type === 'download-retrying')).toHaveLength(3);
  });

  it('resumes after the connection is reset mid-image, moving little more than the rest', async () => {
    const { home, portal, arm } = await setup();
    portal.faults.add({
      type: 'reset_peer',
      afterBytes: Math.floor(arm.sizeBytes / 2),
      scope: { paths: ['/images/*'], attempts: { first: 1 } },
    });
    const { result, events } = run(portal, home);
    expect((await result).outcome).toBe('registered');
    const resumed = events.find((e) => e.type === 'download-resumed');
    expect(resumed?.offset).toBeGreaterThan(0);
  });

  it('gives up when every answer fails at the same point, though each one moved bytes', async () => {
    const { home, portal } = await setup();
    // Each answer claims 1000 bytes too few, so it breaks off and the resume finds the file changed.
    portal.faults.add({
      type: 'content_length',
      mode: 'wrong',
      delta: -1000,
      scope: { paths: ['/images/*'] },
    });
    const { result, events } = run(portal, home, {
      tuning: { minRetryDelayMs: 1, maxRetryDelayMs: 5, stallTimeoutMs: 2_000, retries: 3 },
    });
    expect(await result).toMatchObject({ outcome: 'failed', error: { code: 'DOWNLOAD_FAILED' } });
    // Only attempts that get past the furthest byte held renew the budget; how far each gets
    // depends on how the break falls in the stream, so a few may. Before, every refetch counted as
    // progress and the agent went on until its hard cap of 1000 attempts.
    expect(events.filter((e) => e.type === 'download-retrying').length).toBeLessThanOrEqual(25);
  });

  it('decodes an image the server gzips although identity was asked, and verifies the file', async () => {
    const { home, portal, arm } = await setup();
    portal.faults.add({ type: 'gzip', scope: { paths: ['/images/*'] } });
    const { result } = run(portal, home);
    expect(await result).toMatchObject({
      outcome: 'registered',
      vm: { source: { sha256: arm.sha256 } },
    });
  });

  it('reports POLICY_INVALID when the portal sends a javascript: image link', async () => {
    const { home, portal } = await setup();
    portal.faults.add({ type: 'policy', mutation: 'javascript_url' });
    expect(await run(portal, home).result).toMatchObject({
      outcome: 'failed',
      error: { code: 'POLICY_INVALID' },
    });
  });
});
