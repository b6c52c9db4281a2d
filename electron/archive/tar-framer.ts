import { Header, Pax, type HeaderData } from 'tar';
import { unreadable } from './archive-errors.ts';

const BLOCK = 512;
// node-tar's own cap on a pax or GNU long-name body.
const MAX_META_BYTES = 1024 * 1024;
const META_TYPES = new Set([
  'ExtendedHeader',
  'OldExtendedHeader',
  'GlobalExtendedHeader',
  'NextFileHasLongPath',
  'OldGnuLongPath',
  'NextFileHasLongLinkpath',
]);

/** A file-system entry of a tar archive, with every pax and GNU extension applied. */
export interface TarEntry {
  readonly path: string;
  readonly type: string;
  readonly size: number;
  readonly mode?: number;
  readonly mtime?: Date;
  readonly linkpath?: string;
}

/** One piece of a tar stream, in stream order, with absolute offsets. */
export type TarPart =
  /** An entry begins; `literal` holds every byte from `offset` up to its data (padding, extension headers, its header). */
  | {
      readonly kind: 'entry';
      readonly entry: TarEntry;
      readonly literal: Buffer;
      readonly offset: number;
    }
  /** Bytes of the current entry's data, a view of the input chunk. */
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  /** The end-of-archive marker; `literal` holds the last padding and the zero blocks. */
  | { readonly kind: 'end'; readonly literal: Buffer; readonly offset: number }
  /** Bytes after the end-of-archive marker. */
  | { readonly kind: 'trailing'; readonly bytes: Uint8Array };

type State = 'header' | 'meta' | 'data' | 'padding' | 'end';

/**
 * Splits a tar byte stream into entries, data and literal bytes while it arrives. node-tar's
 * Header and Pax decode every field; the framing is ours because node-tar never tells where in
 * the stream a header or a byte of data sits, and the download journal needs exactly that.
 */
export class TarFramer {
  /** Bytes consumed so far. */
  position = 0;
  private state: State = 'header';
  private literal: Buffer[] = [];
  private literalStart = 0;
  private block = Buffer.alloc(BLOCK);
  private blockFill = 0;
  private remaining = 0;
  private padding = 0;
  private meta: { type: string; body: Buffer[]; size: number } | undefined;
  private ex: HeaderData | undefined;
  private gex: HeaderData | undefined;
  private sawNullBlock = false;

  /** Whether the end-of-archive marker (two zero blocks) was read. */
  get ended(): boolean {
    return this.state === 'end';
  }

  /** Consumes the next bytes; throws ARCHIVE_INVALID on a damaged header. */
  push(chunk: Uint8Array): TarPart[] {
    const parts: TarPart[] = [];
    const base = this.position;
    let at = 0;
    while (at < chunk.length) {
      const rest = chunk.length - at;
      switch (this.state) {
        case 'end':
          parts.push({ kind: 'trailing', bytes: chunk.subarray(at) });
          at = chunk.length;
          break;
        case 'data': {
          const take = Math.min(rest, this.remaining);
          parts.push({ kind: 'data', bytes: chunk.subarray(at, at + take) });
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) this.state = this.padding > 0 ? 'padding' : 'header';
          break;
        }
        case 'padding': {
          const take = Math.min(rest, this.padding);
          this.keep(chunk.subarray(at, at + take), base + at);
          this.padding -= take;
          at += take;
          if (this.padding === 0) this.state = 'header';
          break;
        }
        case 'meta': {
          const take = Math.min(rest, this.remaining);
          const bytes = chunk.subarray(at, at + take);
          this.keep(bytes, base + at);
          this.meta!.body.push(Buffer.from(bytes));
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) this.endMeta();
          break;
        }
        case 'header': {
          const take = Math.min(rest, BLOCK - this.blockFill);
          this.block.set(chunk.subarray(at, at + take), this.blockFill);
          this.blockFill += take;
          at += take;
          if (this.blockFill === BLOCK) {
            this.blockFill = 0;
            const part = this.readHeader(base + at - BLOCK);
            if (part) parts.push(part);
          }
          break;
        }
      }
    }
    this.position += chunk.length;
    return parts;
  }

  /** The end marker when the stream stopped after one zero block (accepted, as node-tar does). */
  finish(): TarPart | undefined {
    if (this.state !== 'header' || !this.sawNullBlock || this.blockFill !== 0) return undefined;
    this.state = 'end';
    return { kind: 'end', literal: this.takeLiteral(), offset: this.literalStart };
  }

  /** Copies literal bytes that start at `offset` out of the chunk being read. */
  private keep(bytes: Uint8Array, offset: number): void {
    if (this.literal.length === 0) this.literalStart = offset;
    this.literal.push(Buffer.from(bytes));
  }

  private takeLiteral(): Buffer {
    const literal = Buffer.concat(this.literal);
    this.literal = [];
    return literal;
  }

  private readHeader(offset: number): TarPart | undefined {
    const raw = Buffer.from(this.block);
    this.keep(raw, offset);
    const header = this.decode(raw);
    if (header.nullBlock) {
      if (!this.sawNullBlock) {
        this.sawNullBlock = true;
        return undefined;
      }
      this.state = 'end';
      return { kind: 'end', literal: this.takeLiteral(), offset: this.literalStart };
    }
    this.sawNullBlock = false;
    const type = header.type;
    const size = header.size ?? 0;
    if (META_TYPES.has(type)) {
      if (size > MAX_META_BYTES) throw unreadable(`its ${type} header is larger than 1 MiB`);
      this.meta = { type, body: [], size };
      this.remaining = size;
      this.padding = padOf(size);
      this.state = size > 0 ? 'meta' : 'header';
      if (size === 0) this.endMeta();
      return undefined;
    }
    const entry: TarEntry = {
      path: header.path!.replace(/\/+$/, ''),
      type,
      size,
      ...(header.mode !== undefined ? { mode: header.mode & 0o7777 } : {}),
      ...(header.mtime ? { mtime: header.mtime } : {}),
      ...(header.linkpath ? { linkpath: header.linkpath } : {}),
    };
    this.ex = undefined;
    this.remaining = size;
    this.padding = padOf(size);
    this.state = size > 0 ? 'data' : 'header';
    return { kind: 'entry', entry, literal: this.takeLiteral(), offset: this.literalStart };
  }

  private decode(raw: Buffer): Header {
    let header: Header;
    try {
      header = new Header(raw, 0, this.ex, this.gex);
    } catch (error) {
      throw unreadable(`a header is damaged (${String(error)})`, error);
    }
    if (header.nullBlock) return header;
    if (!header.cksumValid) throw unreadable('a header fails its checksum');
    if (!header.path) throw unreadable('a header has no name');
    return header;
  }

  private endMeta(): void {
    const { type, body } = this.meta!;
    this.meta = undefined;
    const text = Buffer.concat(body).toString('utf8');
    if (this.padding > 0) this.state = 'padding';
    else this.state = 'header';
    switch (type) {
      case 'GlobalExtendedHeader':
        this.gex = Pax.parse(text, this.gex, true);
        return;
      case 'NextFileHasLongPath':
      case 'OldGnuLongPath':
        this.ex = { ...this.ex, path: text.replace(/\0.*/s, '') };
        return;
      case 'NextFileHasLongLinkpath':
        this.ex = { ...this.ex, linkpath: text.replace(/\0.*/s, '') };
        return;
      default:
        this.ex = Pax.parse(text, this.ex, false);
    }
  }
}

function padOf(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
