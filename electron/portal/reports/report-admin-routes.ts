import { open } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdminReport, AdminReportList } from '../../../shared/admin-api.ts';
import { AdminError } from '../admin/admin-error.ts';
import { describeInvalid, zodProblems } from '../api-error.ts';
import type { PortalState } from '../portal-state.ts';
import type { ReportStore } from './report-store.ts';

const querySchema = z.strictObject({ deviceId: z.uuid().optional() });

/**
 * Registers on the admin scope `GET /reports` (newest first, `?deviceId=` for one Mac) and
 * `GET /reports/{deviceId}/{id}/download`, the bundle as an attachment.
 */
export function registerReportAdminRoutes(
  admin: FastifyInstance,
  store: ReportStore,
  state: PortalState,
): void {
  admin.get('/reports', async (request): Promise<AdminReportList> => {
    const query = querySchema.safeParse(request.query);
    if (!query.success) {
      const message = describeInvalid('report query', query.error);
      throw new AdminError('BAD_REQUEST', message, zodProblems(query.error));
    }
    const reports = store
      .list(query.data.deviceId)
      .map(({ id, deviceId, receivedAt, sizeBytes }): AdminReport => ({
        id,
        deviceId,
        hostname: state.device(deviceId)?.hostname ?? null,
        receivedAt,
        sizeBytes,
      }));
    return { reports };
  });

  admin.get('/reports/:deviceId/:id/download', async (request, reply) => {
    const { deviceId, id } = request.params as { deviceId: string; id: string };
    const report = store.find(deviceId, id);
    // Opened before answering: a report dropped meanwhile still downloads whole, or is a 404.
    const handle = report && (await open(report.file).catch(() => undefined));
    if (!report || !handle) throw notFound(id);
    let size: number;
    try {
      size = (await handle.stat()).size;
    } catch (error) {
      await handle.close();
      throw error;
    }
    return (
      reply
        .header('content-type', 'application/gzip')
        // The id matched REPORT_ID_PATTERN when it was kept: nothing in it needs quoting.
        .header('content-disposition', `attachment; filename="${report.id}.tar.gz"`)
        .header('content-length', String(size))
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(handle.createReadStream())
    );
  });
}

function notFound(id: string): AdminError {
  const shown = id.slice(0, 100);
  return new AdminError(
    'REPORT_NOT_FOUND',
    `The portal keeps no problem report "${shown}": it was never received, or newer reports replaced it. GET /api/v1/admin/reports lists the ones it keeps.`,
  );
}
