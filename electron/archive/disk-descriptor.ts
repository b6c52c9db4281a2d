import { XMLBuilder } from 'fast-xml-parser';

const SECTOR_BYTES = 512;
// Parallels names the base image of every disk with this fixed GUID.
const BASE_IMAGE_GUID = '{5fbaabe3-6958-40ff-92a7-860e329aab41}';

/**
 * How a disk's data file holds its bytes: `Plain` is a file of the disk's full size;
 * `Compressed` is Parallels' expanding disk (its default), whose file holds only what was written.
 */
export type DiskImageType = 'Plain' | 'Compressed';

/** The DiskDescriptor.xml of a virtual disk of `sizeBytes` whose data is one `.hds` file. */
export function renderDiskDescriptor(
  sizeBytes: number,
  dataFile: string,
  type: DiskImageType = 'Plain',
): string {
  const sectors = Math.ceil(sizeBytes / SECTOR_BYTES);
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Parallels_disk_image: {
      '@_Version': '1.0',
      Disk_Parameters: { Disk_size: sectors, PhysicalSectorSize: SECTOR_BYTES, Name: 'harddisk' },
      StorageData: {
        Storage: {
          Start: 0,
          End: sectors,
          Image: { GUID: BASE_IMAGE_GUID, Type: type, File: dataFile },
        },
      },
    },
  };
  return new XMLBuilder({ ignoreAttributes: false, format: true, indentBy: '  ' }).build(
    document,
  ) as string;
}
