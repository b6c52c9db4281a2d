import { writeFile } from 'node:fs/promises';
import type { Arch } from '../../shared/protocol.ts';
import type { BenchImage } from './bench-image.ts';

/** The license keys that reach one image size, both ways it is served. */
export interface SizeKeys {
  /** Its golden image URL points at the file server (nginx, or the portal without nginx). */
  readonly served: string;
  /** Its golden image is hosted by the portal itself, where faults can act on it. */
  readonly hosted: string;
}

/** License keys for the image at `index` in the list of sizes. */
export function sizeKeys(index: number): SizeKeys {
  return { served: `BENCH-SERVED-${index}`, hosted: `BENCH-HOSTED-${index}` };
}

/** Writes the organisation for `provisim portal --config`: two keys per size (see SizeKeys). */
export async function writeBenchOrg(
  file: string,
  images: readonly BenchImage[],
  arch: Arch,
  fileServerUrl: string | undefined,
): Promise<void> {
  const keys = images.flatMap((_, i) => [sizeKeys(i).served, sizeKeys(i).hosted]);
  const golden = (id: string, url: string, image: BenchImage, group: string) => ({
    id,
    name: `Bench VM ${image.dataBytes}`,
    images: { [arch]: { enabled: true, url, checksum: image.sha256 } },
    assignedTo: [group],
  });
  const org = {
    licenseKeys: [
      { key: 'BENCH-PRIMARY-0000', kind: 'primary' },
      ...keys.map((key) => ({ key, kind: 'sublicense' })),
    ],
    userGroups: keys.map((key) => ({ id: key.toLowerCase(), name: key, licenseKey: key })),
    goldenImages: images.flatMap((image, i) => {
      const { served, hosted } = sizeKeys(i);
      const hostedUrl = `/images/${image.file}`;
      return [
        golden(
          served.toLowerCase(),
          fileServerUrl ? `${fileServerUrl}/${image.file}` : hostedUrl,
          image,
          served.toLowerCase(),
        ),
        golden(hosted.toLowerCase(), hostedUrl, image, hosted.toLowerCase()),
      ];
    }),
  };
  await writeFile(file, `${JSON.stringify(org, null, 2)}\n`);
}
