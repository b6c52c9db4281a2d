import type { AdminReport } from '../../../shared/admin-api.ts';
import type { AdminClient } from './admin-client.ts';

// Long enough for the browser to hand the blob to its download, as FileSaver.js does.
const REVOKE_AFTER_MS = 40_000;

/**
 * Downloads a problem report bundle and saves it as `<id>.tar.gz`. The admin API wants the token
 * in a header, which a plain link cannot send; so the page fetches the bundle with the token and
 * saves it from an object URL, and the token never shows in a URL, a history or a server log.
 */
export async function downloadReport(
  client: AdminClient,
  { deviceId, id }: Pick<AdminReport, 'deviceId' | 'id'>,
  signal: AbortSignal,
  save: (blob: Blob, fileName: string) => void = saveBlob,
): Promise<void> {
  // The client's raw GET: its refusals throw as for every other call, and the body is ours to read.
  const path = `/reports/${encodeURIComponent(deviceId)}/${encodeURIComponent(id)}/download`;
  const response = await client.stream(path, signal);
  save(await response.blob(), `${id}.tar.gz`);
}

/** Saves a blob as a file through a hidden `download` link (no navigation, nothing inline). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
