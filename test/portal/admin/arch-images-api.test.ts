import { describe, expect, it } from 'vitest';
import { adminApi, expectRefused, useAdminPortals } from './admin-fixtures.ts';

const { start } = useAdminPortals();

describe('the images of a golden image, one per architecture', () => {
  it('adds an architecture image, refuses a second one for it, replaces and removes it', async () => {
    const portal = await start();
    const api = adminApi(portal);
    const image = {
      enabled: true,
      url: 'https://f.example/dev-x86.pvmp',
      checksum: 'cd'.repeat(32),
    };
    const added = await api.post('/golden-images/win11-dev/images', { arch: 'x86_64', ...image });
    expect(added.status).toBe(201);
    expect(added.body.goldenImage).toMatchObject({ images: { x86_64: image } });

    const again = await api.post('/golden-images/win11-dev/images', { arch: 'x86_64', ...image });
    const message = expectRefused(again, 409, 'ARCH_IMAGE_EXISTS');
    expect(message).toMatch(/at most one image per architecture/);
    expect(message).toMatch(/PUT \/api\/v1\/admin\/golden-images\/win11-dev\/images\/x86_64/);

    const put = await api.put('/golden-images/win11-dev/images/x86_64', {
      ...image,
      url: 'https://f.example/v2.pvmp',
    });
    expect(put.body.goldenImage).toMatchObject({
      images: { x86_64: { url: 'https://f.example/v2.pvmp' } },
    });
    const removed = await api.delete('/golden-images/win11-dev/images/x86_64');
    expect(removed.status).toBe(200);
    expect(portal.org.goldenImages[0]!.images.x86_64).toBeUndefined();
    expectRefused(await api.delete('/golden-images/win11-dev/images/x86_64'), 404, 'NOT_FOUND');
  });

  it('checks an architecture image like a whole golden image', async () => {
    const api = adminApi(await start());
    const bad = await api.put('/golden-images/win11-dev/images/arm64', {
      enabled: true,
      url: 'https://f.example/a',
      checksum: 'x',
    });
    expectRefused(bad, 400, 'CHECKSUM_INVALID');
    const arch = await api.post('/golden-images/win11-dev/images', {
      arch: 'sparc',
      enabled: false,
    });
    expect(expectRefused(arch, 400, 'BAD_REQUEST')).toMatch(/"arm64" \(Apple silicon\)/);
  });
});
