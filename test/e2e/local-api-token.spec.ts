import { existsSync } from 'node:fs';
import { TOKEN_STORAGE_KEY } from '../../renderer/backend/page-token.ts';
import { expect, openControlCenter, openInvitation, test } from './support/control-center.ts';
import type { RunningWebHost } from './support/web-host.ts';

/** Posts to an invoke channel as another local process would: with `headers`, no page. */
function post(host: RunningWebHost, channel: string, body: unknown, headers = {}) {
  return fetch(`${host.origin}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function expectRefused(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(await response.json()).toMatchObject({
    ok: false,
    error: { code: 'ACCESS_TOKEN_INVALID' },
  });
}

test('the printed address opens the Control Center, leaves the address bar, and survives a reload', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  await openControlCenter(page, host.url);
  await expect(page).toHaveURL(`${host.origin}/`);
  // Replaced, not pushed: the tab's history holds the bare address only.
  await page.goBack();
  await expect(page).toHaveURL('about:blank');
  await page.goForward();
  await expect(page).toHaveURL(`${host.origin}/`);
  const kept = await page.evaluate<string | null>(
    `sessionStorage.getItem(${JSON.stringify(TOKEN_STORAGE_KEY)})`,
  );
  expect(kept).toBe(host.token);

  // Same tab: the token comes from sessionStorage, and both the calls and the stream work.
  await page.reload();
  await expect(page).toHaveURL(`${host.origin}/`);
  await expect(page.getByRole('button', { name: 'New Virtual Machine' })).toBeEnabled();
  expect(await openInvitation(page)).toBe('ACME Windows 11 for Developers');
});

test('the bare address says to open the printed one and calls nothing', async ({
  page,
  webHosts,
}) => {
  const host = await webHosts.start();
  const apiCalls: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) apiCalls.push(request.url());
  });
  await page.goto(host.origin);
  const missing = page.locator('[data-state="token-missing"]');
  await expect(
    missing.getByRole('heading', { name: 'Open the address Provisim printed' }),
  ).toBeVisible();
  await expect(missing).toContainText('?token=');
  await expect(page.getByRole('button', { name: 'New Virtual Machine' })).toHaveCount(0);
  expect(apiCalls).toEqual([]);

  // A token the host does not know (an earlier start's, a typo) is named as such.
  await page.goto(`${host.origin}/?token=${host.token.slice(1)}x`);
  await expect(page.locator('[data-state="token-refused"]')).toContainText('refused this tab');
  await expect(page).toHaveURL(`${host.origin}/`);
});

test('a local process without the token is refused and changes nothing', async ({ webHosts }) => {
  const host = await webHosts.start();
  const settings = await host.invoke('settings:get');
  const spec = { os: 'fedora-40', name: 'Box', cpus: 1, memoryMb: 1024, diskSizeBytes: 2 ** 20 };
  const vm = await host.invoke('assistant:create-vm', spec);
  const before = await host.invoke('state:get');
  const flipped = `${host.token.slice(0, -1)}${host.token.endsWith('A') ? 'B' : 'A'}`;

  for (const headers of [
    {},
    { authorization: `Bearer ${flipped}` },
    { authorization: 'Bearer x' },
  ]) {
    const hostile = { ...settings, portalUrl: 'https://evil.example', vmDir: '/tmp/theirs' };
    await expectRefused(await post(host, 'settings:save', hostile, headers));
    await expectRefused(await post(host, 'job:start-new-vm', {}, headers));
    await expectRefused(
      await post(host, 'vm:remove', { uuid: vm.uuid, deleteFiles: true }, headers),
    );
  }
  await expectRefused(await fetch(`${host.origin}/api/events`));
  await expectRefused(await fetch(`${host.origin}/api/events?token=${flipped}`));

  expect(await host.invoke('settings:get')).toEqual(settings);
  const after = await host.invoke('state:get');
  expect(after.job).toEqual(before.job);
  expect(after.vms.map((v) => v.uuid)).toEqual([vm.uuid]);
  expect(existsSync(vm.path)).toBe(true);
});
