import type { OpenedImage } from '../image-file.ts';
import { firstOf, type ActiveFault } from './fault-set.ts';

/** How the image route bends its answer for the active faults. */
export interface ImagePlan {
  /** Answer 200 with the whole file whatever Range asks. */
  readonly ignoreRange: boolean;
  /** Added to both ends of the Content-Range header (the bytes sent stay right). */
  readonly shiftRangeBy: number;
}

/** The plan when no fault applies. */
export const PLAIN_IMAGE: ImagePlan = { ignoreRange: false, shiftRangeBy: 0 };

/** The image route's plan for the active faults. */
export function imagePlan(active: readonly ActiveFault[]): ImagePlan {
  return {
    ignoreRange: firstOf(active, 'ignore_range') !== undefined,
    shiftRangeBy: firstOf(active, 'wrong_content_range')?.spec.shiftBy ?? 0,
  };
}

/**
 * The image with validators that differ on every attempt when changing_validators applies, as if
 * the file had been replaced in between; a client's If-Range then no longer holds.
 */
export function imageAsServed(image: OpenedImage, active: readonly ActiveFault[]): OpenedImage {
  const fault = firstOf(active, 'changing_validators');
  if (!fault) return image;
  const { attempt } = fault;
  return {
    ...image,
    etag: `${image.etag.slice(0, -1)}-r${attempt}"`,
    mtime: new Date(image.mtime.getTime() + attempt * 1000),
  };
}
