import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AdminReport } from '../../../shared/admin-api.ts';
import { createAdminClient } from '../../../renderer/admin/api/admin-client.ts';
import { ReportsPage } from '../../../renderer/admin/pages/reports-page.tsx';
import { fakeClient, fail } from './fake-portal.ts';

const ADMIN = '/api/v1/admin';
const MAC_A = '5f0c1c4e-8a59-4a8e-9d6b-2f3f1f4e2a10';
const MAC_B = '0b7e6d2c-3d43-4c55-9c1f-7d0f5a0e6f11';

// As the portal answers: newest first, Macs interleaved.
const reports: AdminReport[] = [
  {
    id: 'PR-20250302-0000000C',
    deviceId: MAC_A,
    hostname: 'mac-a',
    receivedAt: '2025-03-02T10:00:00.000Z',
    sizeBytes: 2048,
  },
  {
    id: 'PR-20250302-0000000B',
    deviceId: MAC_B,
    hostname: null,
    receivedAt: '2025-03-02T09:00:00.000Z',
    sizeBytes: 100,
  },
  {
    id: 'PR-20250301-0000000A',
    deviceId: MAC_A,
    hostname: 'mac-a',
    receivedAt: '2025-03-01T10:00:00.000Z',
    sizeBytes: 4096,
  },
];

describe('ReportsPage', () => {
  it('lists the reports per Mac, the Mac with the newest first, in captioned tables', async () => {
    const { client } = fakeClient({ [`GET ${ADMIN}/reports`]: { status: 200, body: { reports } } });
    render(<ReportsPage client={client} />);
    const tables = await screen.findAllByRole('table');
    expect(tables.map((table) => table.querySelector('caption')?.textContent)).toEqual([
      'Problem reports from mac-a',
      'Problem reports from Unnamed Mac',
    ]);
    expect(screen.getByText(`Device ${MAC_A}`)).toBeInTheDocument();
    const rows = within(tables[0]!)
      .getAllByRole('rowheader')
      .map((cell) => cell.textContent);
    expect(rows).toEqual(['PR-20250302-0000000C', 'PR-20250301-0000000A']);
    expect(
      within(tables[0]!)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Report ID', 'Received', 'Size', 'Download']);
  });

  it('says when there is no report yet', async () => {
    const { client } = fakeClient({
      [`GET ${ADMIN}/reports`]: { status: 200, body: { reports: [] } },
    });
    render(<ReportsPage client={client} />);
    expect(await screen.findByText(/No problem reports yet/)).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('downloads a bundle with the token in a header and saves it under its ID', async () => {
    const user = userEvent.setup();
    const bundle = new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]);
    const asked: { url: string; authorization: string | undefined }[] = [];
    const client = createAdminClient({
      baseUrl: 'http://portal.test',
      token: 'tok',
      onUnauthorized: () => undefined,
      fetch: async (url, init) => {
        const headers = init.headers as Record<string, string>;
        asked.push({ url, authorization: headers.authorization });
        if (url.endsWith('/download')) {
          return new Response(bundle, { headers: { 'content-type': 'application/gzip' } });
        }
        return Response.json({ reports });
      },
    });
    const saved: { name: string; bytes: number[] }[] = [];
    const save = (blob: Blob, name: string): void => {
      void blob
        .arrayBuffer()
        .then((buffer) => saved.push({ name, bytes: [...new Uint8Array(buffer)] }));
    };
    render(<ReportsPage client={client} save={save} />);
    await user.click(await screen.findByRole('button', { name: 'Download PR-20250301-0000000A' }));
    await expect
      .poll(() => saved)
      .toEqual([{ name: 'PR-20250301-0000000A.tar.gz', bytes: [...bundle] }]);
    expect(asked.at(-1)).toEqual({
      url: `http://portal.test${ADMIN}/reports/${MAC_A}/PR-20250301-0000000A/download`,
      authorization: 'Bearer tok',
    });
  });

  it('shows why a download was refused', async () => {
    const user = userEvent.setup();
    const { client } = fakeClient({
      [`GET ${ADMIN}/reports`]: { status: 200, body: { reports } },
      [`GET ${ADMIN}/reports/${MAC_B}/PR-20250302-0000000B/download`]: fail(
        404,
        'REPORT_NOT_FOUND',
        'The portal keeps no problem report "PR-20250302-0000000B": newer reports replaced it.',
      ),
    });
    render(<ReportsPage client={client} save={() => undefined} />);
    await user.click(await screen.findByRole('button', { name: 'Download PR-20250302-0000000B' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/newer reports replaced it/);
  });
});
