import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rangeParser from 'range-parser';
import { sendApiError } from './api-error.ts';
import { faultsOf, noteBodyOffset } from './faults/active-faults.ts';
import { firstOf } from './faults/fault-set.ts';
import { imageAsServed, imagePlan, PLAIN_IMAGE, type ImagePlan } from './faults/image-faults.ts';
import { sendFileBody } from './image-body.ts';
import { closeImage, IMAGES_PATH, openImage, type OpenedImage } from './image-file.ts';

// Big reads keep the per-chunk cost low when a multi-gigabyte image streams over loopback.
const READ_CHUNK_BYTES = 1024 * 1024;

/** What the image route needs beyond its folder. */
export interface ImageRouteOptions {
  /** For the other_arch_image fault: the other architecture's image next to a request path. */
  readonly otherArchPath?: (requestUrl: string) => string | null;
}

/** Serves `<imagesDir>` at `/images/` for GET and HEAD, with single byte ranges and If-Range. */
export function registerImageRoutes(
  app: FastifyInstance,
  imagesDir: string,
  options: ImageRouteOptions = {},
): void {
  app.route({
    method: ['GET', 'HEAD'],
    url: `${IMAGES_PATH}*`,
    handler: async (request, reply) => {
      // The raw URL, not the router's decoded parameter, so encoded dots are judged as sent.
      let path = request.raw.url ?? '';
      const active = faultsOf(request.raw);
      if (active.length === 0) return sendImageFile(request, reply, imagesDir, path);
      if (firstOf(active, 'other_arch_image')) {
        const other = options.otherArchPath?.(path) ?? null;
        if (other === null) {
          const message = 'The organisation has no image for the other architecture hosted here.';
          return sendApiError(reply, 404, 'NOT_FOUND', message);
        }
        path = other;
      }
      const image = await openImage(imagesDir, path);
      if (!image) return sendApiError(reply, 404, 'NOT_FOUND', 'There is no image file here.');
      return serveImage(request, reply, imageAsServed(image, active), imagePlan(active));
    },
  });
}

/** Answers with the image file a raw request path names below imagesDir, or 404. */
export async function sendImageFile(
  request: FastifyRequest,
  reply: FastifyReply,
  imagesDir: string,
  path: string,
): Promise<FastifyReply> {
  const image = await openImage(imagesDir, path);
  if (!image) return sendApiError(reply, 404, 'NOT_FOUND', 'There is no image file here.');
  return serveImage(request, reply, image, PLAIN_IMAGE);
}

async function serveImage(
  request: FastifyRequest,
  reply: FastifyReply,
  image: OpenedImage,
  plan: ImagePlan,
): Promise<FastifyReply> {
  const { fd, size } = image;
  reply
    .header('accept-ranges', 'bytes')
    .header('etag', image.etag)
    .header('last-modified', image.mtime.toUTCString())
    .type('application/octet-stream');

  let start = 0;
  let end = size - 1;
  const range = request.headers.range;
  if (
    range !== undefined &&
    !plan.ignoreRange &&
    ifRangeHolds(request.headers['if-range'], image)
  ) {
    const ranges = rangeParser(size, range, { combine: true });
    if (ranges === -1) {
      await closeImage(fd);
      return reply.code(416).header('content-range', `bytes */${size}`).send();
    }
    // A malformed header, another unit or several ranges: the whole file is a valid answer.
    if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
      start = ranges[0]!.start;
      end = ranges[0]!.end;
      const shift = plan.shiftRangeBy;
      reply.code(206).header('content-range', `bytes ${start + shift}-${end + shift}/${size}`);
    }
  }

  if (plan !== PLAIN_IMAGE) noteBodyOffset(request.raw, start);
  const length = end - start + 1;
  reply.header('content-length', String(length));
  if (request.method === 'HEAD' || length === 0) {
    await closeImage(fd);
    return request.method === 'HEAD' ? reply.send() : reply.send(Buffer.alloc(0));
  }
  // Without faults nothing needs to see the body on its way: it goes to the connection directly.
  if (plan === PLAIN_IMAGE) return sendFileBody(reply, fd, start, end);
  // The stream closes the file when it ends or when the framework destroys it on a client abort.
  const stream = createReadStream(image.path, { fd, start, end, highWaterMark: READ_CHUNK_BYTES });
  return reply.send(stream);
}

// If-Range asks for the range only while the file is still the one the client validated.
function ifRangeHolds(value: string | string[] | undefined, image: OpenedImage): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return false;
  const condition = value.trim();
  if (condition.startsWith('"') || condition.startsWith('W/')) return condition === image.etag;
  const date = Date.parse(condition);
  return !Number.isNaN(date) && date === Math.floor(image.mtime.getTime() / 1000) * 1000;
}
