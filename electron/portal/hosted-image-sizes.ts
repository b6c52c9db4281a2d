import { hostedImageFile, imageFileSize } from './image-file.ts';

// How old a size may be before a check-in asks the disk again (in the background).
const MAX_AGE_MS = 1_000;

interface KnownSize {
  readonly size: number | undefined;
  readonly checkedAt: number;
  refreshing?: boolean;
}

/**
 * Sizes of the images this portal hosts, for check-in answers. A stat waits in libuv's thread
 * pool behind every image read in flight: with hundreds of Macs downloading, a check-in that
 * asked the disk itself waited tens of milliseconds. Only a file's first check-in waits for it;
 * later ones answer from memory while an older size is checked again behind them.
 */
export class HostedImageSizes {
  readonly #known = new Map<string, KnownSize>();

  constructor(
    private readonly imagesDir: string,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = MAX_AGE_MS,
  ) {}

  /** The size of the file behind `url` when this portal (at `baseUrl`) hosts it. */
  async sizeOf(url: string, baseUrl: string): Promise<number | undefined> {
    const file = hostedImageFile(this.imagesDir, url, baseUrl);
    if (file === null) return undefined;
    const known = this.#known.get(file);
    if (!known) return this.#check(file);
    if (this.now() - known.checkedAt > this.maxAgeMs && !known.refreshing) {
      known.refreshing = true;
      void this.#check(file);
    }
    return known.size;
  }

  async #check(file: string): Promise<number | undefined> {
    const size = await imageFileSize(file);
    this.#known.set(file, { size, checkedAt: this.now() });
    return size;
  }
}
