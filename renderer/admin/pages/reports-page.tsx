import { useEffect, useRef, useState } from 'react';
import type { AdminReport, AdminReportList } from '../../../shared/admin-api.ts';
import { formatBytes, formatDateTime } from '../../model/format.ts';
import type { AdminClient } from '../api/admin-client.ts';
import { downloadReport } from '../api/report-download.ts';
import { ApiErrorNotice, useAction, useLoad } from '../components/api-error-notice.tsx';

/** Props of the Problem reports page. */
export interface ReportsPageProps {
  readonly client: AdminClient;
  /** Saves a downloaded bundle; by default through a download link of the page. */
  readonly save?: (blob: Blob, fileName: string) => void;
}

/** One Mac's reports, newest first. */
interface MacReports {
  readonly deviceId: string;
  readonly hostname: string | null;
  readonly reports: readonly AdminReport[];
}

// The portal lists newest first: the Mac with the newest report comes first, and keeps that order.
function byMac(reports: readonly AdminReport[]): MacReports[] {
  const macs = new Map<string, AdminReport[]>();
  for (const report of reports) {
    const own = macs.get(report.deviceId);
    if (own) own.push(report);
    else macs.set(report.deviceId, [report]);
  }
  return [...macs].map(([deviceId, own]) => ({
    deviceId,
    hostname: own[0]?.hostname ?? null,
    reports: own,
  }));
}

// Two Macs may each have a report with the same ID: the pair names one.
function reportKey(report: AdminReport): string {
  return `${report.deviceId}/${report.id}`;
}

/** The problem reports Macs sent with `provisim report`, per Mac, each ready to download. */
export function ReportsPage({ client, save }: ReportsPageProps) {
  const loaded = useLoad(() => client.admin<AdminReportList>('GET', '/reports'));
  const download = useAction();
  const [downloading, setDownloading] = useState<string | null>(null);
  // A download still running when the admin leaves the page is dropped, not saved later.
  const leaving = useRef<AbortController | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    leaving.current = controller;
    return () => controller.abort();
  }, []);
  const macs = byMac(loaded.data?.reports ?? []);

  const start = (report: AdminReport): void => {
    setDownloading(reportKey(report));
    void download
      .run(() => {
        const signal = leaving.current?.signal ?? AbortSignal.abort();
        return downloadReport(client, report, signal, save);
      })
      .finally(() => setDownloading(null));
  };

  return (
    <div className="reports-page" data-state={loaded.data ? 'loaded' : 'loading'}>
      <p className="hint">
        Bundles of logs and settings that users sent from their Macs with provisim report, newest
        first. The portal keeps the newest 20 of each Mac.
      </p>
      <div className="actions page-actions">
        <button type="button" onClick={loaded.reload}>
          Refresh
        </button>
      </div>
      <ApiErrorNotice error={loaded.error ?? download.error} />
      {loaded.data && macs.length === 0 && (
        <p className="empty">
          No problem reports yet. A Mac sends one when its user runs provisim report.
        </p>
      )}
      {macs.length > 0 && (
        <ul className="cards" aria-label="Macs with problem reports">
          {macs.map((mac) => {
            const name = mac.hostname ?? 'Unnamed Mac';
            return (
              <li key={mac.deviceId} className="card" aria-labelledby={`mac-${mac.deviceId}`}>
                <h2 id={`mac-${mac.deviceId}`}>{name}</h2>
                <p className="mono">Device {mac.deviceId}</p>
                <table className="admin-table">
                  <caption className="visually-hidden">Problem reports from {name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Report ID</th>
                      <th scope="col">Received</th>
                      <th scope="col">Size</th>
                      <th scope="col">
                        <span className="visually-hidden">Download</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {mac.reports.map((report) => (
                      <tr key={report.id}>
                        <th scope="row" className="mono">
                          {report.id}
                        </th>
                        <td>{formatDateTime(report.receivedAt)}</td>
                        <td>{formatBytes(report.sizeBytes)}</td>
                        <td className="row-actions">
                          <button
                            type="button"
                            aria-label={`Download ${report.id}`}
                            aria-disabled={downloading !== null || undefined}
                            onClick={() => downloading === null && start(report)}
                          >
                            {downloading === reportKey(report) ? 'Downloading…' : 'Download'}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
