import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UploadAnswer } from '../../../shared/admin-fleet.ts';
import type { UploadOutcome } from '../../../electron/portal/fleet/upload-route.ts';
import type { RunningPortal } from '../../../electron/portal/server.ts';
import { useAgentFixture } from '../../helpers/agent-fixture.ts';
import { fixtureOrg, makeFixtureImage } from '../../helpers/portal-fixture.ts';
import { TOKEN, admin, expectError, useFleetPortals } from './fleet-fixtures.ts';

const { tempDir, run } = useAgentFixture();
const start = useFleetPortals();

/** A portal, and an image made outside its data folder, as an admin has it on their Mac. */
async function setup() {
  const dataDir = await tempDir();
  const portal = await start(dataDir, fixtureOrg({}));
  const made = await makeFixtureImage(await tempDir(), { name: 'Finance', arch: 'arm64' });
  return { portal, dataDir, bytes: await readFile(made.archivePath), sha256: made.sha256 };
}

async function upload(
  portal: RunningPortal,
  name: string,
  body: Uint8Array | string,
  checksum?: string,
) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${TOKEN}`,
    'content-type': 'application/octet-stream',
  };
  if (checksum !== undefined) headers['x-checksum'] = checksum;
  const res = await fetch(`${portal.url}/api/v1/admin/uploads/${name}`, {
    method: 'PUT',
    headers,
    body,
  });
  return { status: res.status, body: (await res.json()) as UploadAnswer & { error?: never } };
}

async function leftFiles(dataDir: string) {
  const list = (dir: string) => readdir(join(dataDir, dir)).catch(() => [] as string[]);
  return { uploads: await list('images/uploads'), incoming: await list('uploads-incoming') };
}

describe('image upload', () => {
  it('keeps an image whose hash matches the x-checksum line; an agent then installs it', async () => {
    const { portal, dataDir, bytes, sha256 } = await setup();
    const answer = await upload(
      portal,
      'Finance.pvmp',
      bytes,
      `${sha256}  /Users/admin/Finance.pvmp`,
    );
    expect(answer).toEqual({
      status: 201,
      body: {
        url: '/images/uploads/Finance.pvmp',
        checksum: `${sha256}  Finance.pvmp`,
        sizeBytes: bytes.length,
      },
    });
    expect(await leftFiles(dataDir)).toEqual({ uploads: ['Finance.pvmp'], incoming: [] });
    const served = Buffer.from(
      await (await fetch(`${portal.url}${answer.body.url}`)).arrayBuffer(),
    );
    expect(createHash('sha256').update(served).digest('hex')).toBe(sha256);

    const assigned = await admin(portal, 'PUT', '/golden-images/eng-image/images/arm64', {
      enabled: true,
      url: answer.body.url,
      checksum: answer.body.checksum,
    });
    expect(assigned.status).toBe(200);
    const outcome = await run(portal, await tempDir()).result;
    expect(outcome).toMatchObject({ outcome: 'registered', vm: { source: { sha256 } } });
  });

  it('takes the checksum from a .sha256.txt uploaded before under the same stem', async () => {
    const { portal, bytes, sha256 } = await setup();
    const line = `${sha256}  /Users/admin/Parallels/Finance.pvmp\n`;
    const text = await upload(portal, 'Finance.sha256.txt', line);
    expect(text).toMatchObject({
      status: 201,
      body: { url: '/images/uploads/Finance.sha256.txt' },
    });
    expect((await upload(portal, 'Finance.pvmp', bytes)).status).toBe(201);
  });

  it('refuses to replace a hosted file unless asked, since golden images pin its checksum', async () => {
    const { portal, bytes, sha256 } = await setup();
    expect((await upload(portal, 'Finance.pvmp', bytes, sha256)).status).toBe(201);
    expectError(await upload(portal, 'Finance.pvmp', bytes, sha256), 409, 'UPLOAD_EXISTS');
    expect((await upload(portal, 'Finance.pvmp?replace=true', bytes, sha256)).status).toBe(201);
  });

  it('refuses a mismatch and leaves no file', async () => {
    const { portal, dataDir, bytes } = await setup();
    const refused = await upload(portal, 'Finance.pvmp', bytes, 'ab'.repeat(32));
    expectError(refused, 422, 'CHECKSUM_MISMATCH');
    expect(await leftFiles(dataDir)).toEqual({ uploads: [], incoming: [] });
  });

  it('leaves no file when the client aborts half way', async () => {
    const { portal, dataDir, bytes, sha256 } = await setup();
    const settled = new Promise<UploadOutcome>((resolve) =>
      portal.fleet.uploads.once('upload', resolve),
    );
    const put = request(`${portal.url}/api/v1/admin/uploads/Finance.pvmp`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'x-checksum': sha256,
        'content-length': String(bytes.length),
        'content-type': 'application/octet-stream',
      },
    });
    put.on('error', () => undefined);
    put.write(bytes.subarray(0, bytes.length / 2), () => put.destroy());
    expect(await settled).toEqual({ name: 'Finance.pvmp', result: 'aborted' });
    expect(await leftFiles(dataDir)).toEqual({ uploads: [], incoming: [] });
  });

  it('refuses bad names, a missing checksum, an empty body and a bad checksum file', async () => {
    const { portal, bytes, sha256 } = await setup();
    for (const name of ['setup.exe', '..%2F..%2Fevil.pvmp', '.hidden.pvmp', 'a%5Cb.zip']) {
      expectError(await upload(portal, name, bytes, sha256), 400, 'UPLOAD_NAME_INVALID');
    }
    expectError(await upload(portal, 'Finance.pvmp', bytes), 400, 'CHECKSUM_REQUIRED');
    expectError(await upload(portal, 'Finance.pvmp', bytes, 'nope'), 400, 'CHECKSUM_INVALID');
    expectError(await upload(portal, 'Empty.zip', new Uint8Array(), sha256), 400, 'UPLOAD_EMPTY');
    expectError(await upload(portal, 'Finance.sha256.txt', 'hello'), 400, 'CHECKSUM_INVALID');
  });

  it('says so when the data folder cannot take the file', async () => {
    const { portal, dataDir, bytes, sha256 } = await setup();
    await writeFile(join(dataDir, 'uploads-incoming'), 'in the way');
    const refused = await upload(portal, 'Finance.pvmp', bytes, sha256);
    expectError(refused, 500, 'UPLOAD_NOT_SAVED');
    expect(JSON.stringify(refused.body)).toMatch(/EEXIST|ENOTDIR/);
  });
});
