import { randomBytes } from 'node:crypto';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { Agent, get, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FaultSpecInput } from '../../shared/faults.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { getText, rawExchange } from './faults/fault-fixtures.ts';
import { openFdsTo, rawRequest, sampleOrg, usePortals } from './portal-fixtures.ts';

const tempDir = useTempDirs();
const startPortal = usePortals();

// Several read buffers long and not a whole number of them, so every boundary is crossed.
const big = randomBytes(5 * 1024 * 1024 + 12_345);
const other = randomBytes(3 * 1024 * 1024 + 7);
let imagesDir: string;

beforeEach(async () => {
  imagesDir = join(await tempDir(), 'images');
  await mkdir(imagesDir, { recursive: true });
  await writeFile(join(imagesDir, 'big.pvmp'), big);
  await writeFile(join(imagesDir, 'other.pvmp'), other);
});

async function portalUrl(faults: FaultSpecInput[] = []): Promise<string> {
  const portal = await startPortal({ dataDir: join(imagesDir, '..'), org: sampleOrg(), faults });
  return portal.url;
}

// Resolves with the answer's head; its body is left unread.
function answer(url: string, agent: Agent | false = false): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, { agent }, resolve).on('error', reject));
}

function bodyOf(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

describe('image bodies sent without faults', () => {
  it('serves a file several read buffers long byte for byte', async () => {
    const res = await rawRequest(await portalUrl(), '/images/big.pvmp');
    expect(res.status).toBe(200);
    expect(res.body.equals(big)).toBe(true);
  });

  it('serves a range that crosses read buffer boundaries', async () => {
    const url = await portalUrl();
    const res = await rawRequest(url, '/images/big.pvmp', {
      headers: { range: 'bytes=1000-3146000' },
    });
    expect(res.status).toBe(206);
    expect(res.headers['content-length']).toBe('3145001');
    expect(res.body.equals(big.subarray(1000, 3146001))).toBe(true);
  });

  it('keeps the connection for the next request after a whole answer', async () => {
    const url = await portalUrl();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets: Socket[] = [];
      for (const name of ['other', 'big']) {
        const res = await answer(`${url}/images/${name}.pvmp`, agent);
        sockets.push(res.socket);
        expect((await bodyOf(res)).equals(name === 'big' ? big : other)).toBe(true);
      }
      expect(sockets[1]).toBe(sockets[0]);
    } finally {
      agent.destroy();
    }
  });

  it('answers pipelined requests in order on one connection', async () => {
    const path = '/images/big.pvmp';
    const text = [
      getText(path),
      getText(path, { range: 'bytes=1048570-1048589' }),
      getText(path, { range: 'bytes=0-9', connection: 'close' }),
    ].join('');
    const bodies = splitAnswers((await rawExchange(await portalUrl(), text)).data);
    expect(bodies).toHaveLength(3);
    expect(bodies[0]!.equals(big)).toBe(true);
    expect(bodies[1]!.equals(big.subarray(1048570, 1048590))).toBe(true);
    expect(bodies[2]!.equals(big.subarray(0, 10))).toBe(true);
  });

  it('gives concurrent downloads their own bytes, also while another is aborted', async () => {
    const url = await portalUrl();
    const aborted = await answer(`${url}/images/big.pvmp`);
    const whole = [answer(`${url}/images/big.pvmp`), answer(`${url}/images/other.pvmp`)];
    await new Promise((resolve) => aborted.once('data', resolve));
    aborted.destroy();
    const [first, second] = await Promise.all(whole.map(async (res) => bodyOf(await res)));
    expect(first!.equals(big)).toBe(true);
    expect(second!.equals(other)).toBe(true);
    // The buffers the aborted answer used now serve others without mixing bytes into them.
    expect((await rawRequest(url, '/images/other.pvmp')).body.equals(other)).toBe(true);
  });
});

describe.runIf(process.platform === 'linux')('the open image file', () => {
  let target: string;
  beforeEach(async () => {
    // Far more than the socket buffers hold, so the portal is still reading when the client goes.
    await writeFile(join(imagesDir, 'huge.pvmp'), Buffer.alloc(64 * 1024 * 1024, 7));
    target = await realpath(join(imagesDir, 'huge.pvmp'));
  });

  it('is closed once the whole answer is sent', async () => {
    const res = await rawRequest(await portalUrl(), '/images/big.pvmp');
    expect(res.body.equals(big)).toBe(true);
    const file = await realpath(join(imagesDir, 'big.pvmp'));
    await vi.waitFor(async () => expect(await openFdsTo(file)).toBe(0));
  });

  it('is closed when a client that stopped reading goes away', async () => {
    const res = await answer(`${await portalUrl()}/images/huge.pvmp`);
    res.pause();
    // The portal waits for the client rather than reading ahead of it: the file stays open.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await openFdsTo(target)).toBe(1);
    res.destroy();
    await vi.waitFor(async () => expect(await openFdsTo(target)).toBe(0));
  });

  it('is closed when a client aborts a body that a fault paces', async () => {
    const url = await portalUrl([{ type: 'bandwidth', bytesPerSec: 10_000_000 }]);
    const res = await answer(`${url}/images/huge.pvmp`);
    await new Promise((resolve) => res.once('data', resolve));
    expect(await openFdsTo(target)).toBe(1);
    res.destroy();
    await vi.waitFor(async () => expect(await openFdsTo(target)).toBe(0));
  });
});

// The bodies of HTTP/1.1 answers sent one after another, each framed by its Content-Length.
function splitAnswers(data: Buffer): Buffer[] {
  const bodies: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const headEnd = data.indexOf('\r\n\r\n', at);
    const head = data.subarray(at, headEnd).toString('latin1');
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
    bodies.push(data.subarray(headEnd + 4, headEnd + 4 + length));
    at = headEnd + 4 + length;
  }
  return bodies;
}
