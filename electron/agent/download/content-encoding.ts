import type { IncomingHttpHeaders } from 'node:http';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { downloadFailed } from './download-errors.ts';

/** A content coding the agent can undo. */
export type BodyEncoding = 'gzip' | 'deflate' | 'br';

const DECODERS: Readonly<Record<BodyEncoding, () => Transform>> = {
  gzip: createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * The coding a server applied to the body although the agent asked for identity (some CDNs and
 * proxies compress anyway); undefined for none. The image's checksum is of the decoded file.
 */
export function bodyEncoding(headers: IncomingHttpHeaders): BodyEncoding | undefined {
  const value = headers['content-encoding']?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'identity') return undefined;
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate' || value === 'br') return value;
  throw downloadFailed(`the server encoded the image as "${value}", which the agent cannot decode`);
}

/** A stream that decodes a body of this coding. */
export function decoderFor(encoding: BodyEncoding): Transform {
  return DECODERS[encoding]();
}
