import { describe, expect, it } from 'vitest';
import {
  SHASUM_LINE,
  adminApi,
  expectRefused,
  goldenImagePayload,
  useAdminPortals,
} from './admin-fixtures.ts';

const { start } = useAdminPortals();

describe('golden images in the admin API', () => {
  it('creates, lists, reads and replaces a golden image, keeping the checksum as pasted', async () => {
    const api = adminApi(await start());
    const created = await api.post('/golden-images', goldenImagePayload());
    expect(created.status).toBe(201);
    expect(created.body.goldenImage).toMatchObject({
      id: 'acme-windows-11-for-finance',
      name: 'ACME Windows 11 for Finance',
      images: { arm64: { enabled: true, checksum: SHASUM_LINE } },
    });
    const listed = await api.get('/golden-images');
    const ids = (listed.body.goldenImages as { id: string }[]).map((g) => g.id);
    expect(ids).toEqual(['win11-dev', 'win11-all', 'acme-windows-11-for-finance']);

    const edited = goldenImagePayload({
      name: 'Finance VM',
      images: { arm64: { enabled: false } },
    });
    const replaced = await api.put('/golden-images/acme-windows-11-for-finance', edited);
    expect(replaced.status).toBe(200);
    expect(replaced.body.goldenImage).toMatchObject({
      name: 'Finance VM',
      images: { arm64: { enabled: false } },
    });
    const read = await api.get('/golden-images/acme-windows-11-for-finance');
    expect(read.body.goldenImage).toEqual(replaced.body.goldenImage);
  });

  const arm = (image: Record<string, unknown>) => ({
    images: { arm64: { enabled: true, ...image } },
  });
  const url = 'https://files.acme.example/a.pvmp';
  it.each([
    ['a blank name', 'NAME_REQUIRED', 'name', { name: '  ' }],
    [
      'an enabled arch without URL',
      'IMAGE_URL_REQUIRED',
      'images.arm64.url',
      arm({ checksum: SHASUM_LINE }),
    ],
    [
      'an ftp link',
      'IMAGE_URL_INVALID',
      'images.arm64.url',
      arm({ url: 'ftp://f.example/a.pvmp', checksum: SHASUM_LINE }),
    ],
    [
      'a hosted path outside /images/',
      'IMAGE_URL_INVALID',
      'images.arm64.url',
      arm({ url: '/downloads/a.pvmp', checksum: SHASUM_LINE }),
    ],
    [
      'an enabled arch without checksum',
      'CHECKSUM_REQUIRED',
      'images.arm64.checksum',
      arm({ url, checksum: '' }),
    ],
    [
      'a checksum that is not a SHA-256',
      'CHECKSUM_INVALID',
      'images.arm64.checksum',
      arm({ url, checksum: 'abc123  x.pvmp' }),
    ],
    ['a third architecture', 'BAD_REQUEST', 'images.ppc', { images: { ppc: { enabled: false } } }],
  ] as const)('refuses %s with 400 %s at %s', async (_what, code, path, change) => {
    const portal = await start();
    const answer = await adminApi(portal).post('/golden-images', goldenImagePayload(change));
    const message = expectRefused(answer, 400, code);
    expect(answer.body.error?.problems?.[0]).toMatchObject({ code, path });
    expect(message).toContain(path);
    expect(portal.org.goldenImages).toHaveLength(2);
  });

  it('accepts a disabled architecture without URL or checksum', async () => {
    const api = adminApi(await start());
    const payload = goldenImagePayload({ images: { arm64: { enabled: false } } });
    expect((await api.post('/golden-images', payload)).status).toBe(201);
  });

  it('refuses a taken id with 409 DUPLICATE_ID and an unknown one with 404', async () => {
    const api = adminApi(await start());
    expectRefused(
      await api.post('/golden-images', goldenImagePayload({ id: 'win11-dev' })),
      409,
      'DUPLICATE_ID',
    );
    expectRefused(await api.get('/golden-images/nope'), 404, 'NOT_FOUND');
    expectRefused(await api.put('/golden-images/nope', goldenImagePayload()), 404, 'NOT_FOUND');
    const renamed = await api.put('/golden-images/win11-dev', goldenImagePayload({ id: 'other' }));
    expect(expectRefused(renamed, 400, 'BAD_REQUEST')).toMatch(/cannot be changed/);
  });

  it('refuses a body that is not a JSON object', async () => {
    const api = adminApi(await start());
    expect(expectRefused(await api.post('/golden-images', [1]), 400, 'BAD_REQUEST')).toMatch(
      /JSON object/,
    );
  });
});
