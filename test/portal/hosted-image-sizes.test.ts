import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostedImageSizes } from '../../electron/portal/hosted-image-sizes.ts';
import { imageFileSize } from '../../electron/portal/image-file.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const BASE = 'http://127.0.0.1:8080';

// Resolves once the size the background check reads from disk is the one kept.
async function settled(sizes: HostedImageSizes, url: string, expected: number | undefined) {
  for (;;) {
    if ((await sizes.sizeOf(url, BASE)) === expected) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

describe('HostedImageSizes', () => {
  it('answers from memory once it knows a size, and checks an old one again behind the answer', async () => {
    const dataDir = await tempDir();
    const imagesDir = join(dataDir, 'images');
    await mkdir(imagesDir);
    const file = join(imagesDir, 'vm.pvmp');
    await writeFile(file, Buffer.alloc(1_000));
    let now = 0;
    const sizes = new HostedImageSizes(imagesDir, () => now, 1_000);
    const url = `${BASE}/images/vm.pvmp`;
    expect(await sizes.sizeOf(url, BASE)).toBe(1_000);

    await writeFile(file, Buffer.alloc(2_000));
    now = 1_000;
    // Young enough: the known size, with no look at the disk.
    expect(await sizes.sizeOf(url, BASE)).toBe(1_000);
    now = 1_001;
    // Too old: still the known size now, the new one once the check behind it is done.
    expect(await sizes.sizeOf(url, BASE)).toBe(1_000);
    await settled(sizes, url, 2_000);
    expect(await imageFileSize(file)).toBe(2_000);

    await rm(file);
    now = 5_000;
    await settled(sizes, url, undefined);
  });

  it('knows no size for an image elsewhere, or for a path that leaves the images folder', async () => {
    const imagesDir = join(await tempDir(), 'images');
    const sizes = new HostedImageSizes(imagesDir);
    expect(await sizes.sizeOf('https://cdn.example.com/vm.pvmp', BASE)).toBeUndefined();
    expect(await sizes.sizeOf(`${BASE}/images/..%2F..%2Fetc%2Fpasswd`, BASE)).toBeUndefined();
    expect(await sizes.sizeOf(`${BASE}/images/missing.pvmp`, BASE)).toBeUndefined();
  });
});
