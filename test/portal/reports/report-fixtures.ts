import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { REPORT_HEADERS, type ReportReceipt } from '../../../shared/protocol.ts';
import { ADMIN_TOKEN } from '../client-fixtures.ts';

/** The key the sample org's engineering Macs check in with. */
export const ENG_KEY = 'ACME-ENG-0002';

/** A gzip-compressed bundle with some text inside, different per `text`. */
export function bundle(text: string): Buffer {
  return gzipSync(Buffer.from(`report.json\n${text}\n`));
}

/** A well-formed report ID, different per `n`. */
export function reportId(n: number): string {
  return `PR-20250301-${n.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** What an upload was answered, its body parsed. */
export interface UploadAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Partial<ReportReceipt> & { error?: { code: string; message: string } };
}

/** Uploads a bundle as the agent does; each part can be replaced (`undefined` drops a header). */
export async function upload(
  url: string,
  deviceId: string,
  parts: {
    readonly id?: string | undefined;
    readonly licenseKey?: string | undefined;
    readonly body?: Buffer;
    readonly contentType?: string;
  },
): Promise<UploadAnswer> {
  const headers: Record<string, string> = {
    'content-type': parts.contentType ?? 'application/gzip',
  };
  const licenseKey = 'licenseKey' in parts ? parts.licenseKey : ENG_KEY;
  if (licenseKey !== undefined) headers[REPORT_HEADERS.licenseKey] = licenseKey;
  if (parts.id !== undefined) headers[REPORT_HEADERS.reportId] = parts.id;
  const res = await fetch(`${url}/api/v1/devices/${deviceId}/reports`, {
    method: 'POST',
    headers,
    body: parts.body ?? bundle('default'),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}

/** Calls an admin report route with the test admin token (or the header given; none for null). */
export async function adminReports(
  url: string,
  path: string,
  authorization: string | null = `Bearer ${ADMIN_TOKEN}`,
) {
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const res = await fetch(`${url}/api/v1/admin${path}`, { headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = res.headers.get('content-type')?.startsWith('application/json');
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    body: json ? JSON.parse(`${bytes}`) : {},
  };
}

/**
 * Sends an upload's headers, then `body` without ending the request, and resolves with the
 * answer: for answers the portal gives before (or without) reading the whole body.
 */
export function uploadUnfinished(
  url: string,
  deviceId: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; code: string | undefined; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/devices/${deviceId}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/gzip', ...headers },
      agent: false,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const answer = JSON.parse(Buffer.concat(chunks).toString() || '{}');
        resolve({
          status: res.statusCode ?? 0,
          code: answer.error?.code,
          connection: res.headers.connection,
        });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.flushHeaders();
    if (body) req.write(body);
  });
}
