import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rangeParser from 'range-parser';
import { sendApiError } from './api-error.ts';
import { closeImage, IMAGES_PATH, openImage, type OpenedImage } from './image-file.ts';

// Big reads keep the per-chunk cost low when a multi-gigabyte image streams over loopback.
const READ_CHUNK_BYTES = 1024 * 1024;

/** Serves `<imagesDir>` at `/images/` for GET and HEAD, with single byte ranges and If-Range. */
export function registerImageRoutes(app: FastifyInstance, imagesDir: string): void {
  app.route({
    method: ['GET', 'HEAD'],
    url: `${IMAGES_PATH}*`,
    handler: async (request, reply) => {
      // The raw URL, not the router's decoded parameter, so encoded dots are judged as sent.
      const image = await openImage(imagesDir, request.raw.url ?? '');
      if (!image) return sendApiError(reply, 404, 'NOT_FOUND', 'There is no image file here.');
      return serveImage(request, reply, image);
    },
  });
}

async function serveImage(
  request: FastifyRequest,
  reply: FastifyReply,
  image: OpenedImage,
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
  if (range !== undefined && ifRangeHolds(request.headers['if-range'], image)) {
    const ranges = rangeParser(size, range, { combine: true });
    if (ranges === -1) {
      await closeImage(fd);
      return reply.code(416).header('content-range', `bytes */${size}`).send();
    }
    // A malformed header, another unit or several ranges: the whole file is a valid answer.
    if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
      start = ranges[0]!.start;
      end = ranges[0]!.end;
      reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`);
    }
  }

  const length = end - start + 1;
  reply.header('content-length', String(length));
  if (request.method === 'HEAD' || length === 0) {
    await closeImage(fd);
    return request.method === 'HEAD' ? reply.send() : reply.send(Buffer.alloc(0));
  }
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
