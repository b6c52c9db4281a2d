import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { OrgConfig } from '../org-config-schema.ts';
import type { PortalState } from '../portal-state.ts';
import { AdminStream } from './admin-stream.ts';
import { registerCommandRoutes } from './command-routes.ts';
import { registerFleetRoutes } from './fleet-routes.ts';
import { imageVersions } from './fleet-versions.ts';
import { fleetDevices } from './fleet-view.ts';
import { RetrievalBoard, type RetrievalTiming } from './retrieval-board.ts';
import { RolloutTally } from './rollout-tally.ts';
import { registerUploadRoute, type UploadOutcome } from './upload-route.ts';
import { registerVerifyRoute } from './verify-route.ts';

/** Timing of the fleet features, for tests and demos; the defaults suit real agents. */
export interface FleetOptions extends RetrievalTiming {
  /** How often the device list may go out on the admin stream; 250 ms by default. */
  readonly streamThrottleMs?: number;
  /** How often the stream checks for changes time alone makes (offline); 15 s by default. */
  readonly streamRefreshMs?: number;
}

/** What a running portal tells about its fleet, for tests and logs. */
export interface FleetHub {
  /** The retrieval channels: `channelOpen()`, `retrieval()`, and `channel` / `retrieval` events. */
  readonly board: RetrievalBoard;
  /** Emits `upload` with the outcome of every image upload. */
  readonly uploads: EventEmitter<{ upload: [UploadOutcome] }>;
}

/** What the fleet features need from the portal. */
export interface FleetSetupContext {
  readonly state: PortalState;
  readonly org: () => OrgConfig;
  readonly dataDir: string;
  readonly imagesDir: string;
  readonly baseUrl: () => string;
  readonly options?: FleetOptions;
}

/**
 * Sets up the fleet view, the retrieval channels (client routes registered here), the admin
 * stream, "Verify link" and uploads; `registerAdmin` adds the admin routes to the admin scope.
 */
export function setupFleet(app: FastifyInstance, ctx: FleetSetupContext) {
  const options = ctx.options ?? {};
  const now = options.now ?? Date.now;
  const board = new RetrievalBoard(options);
  const sources = { state: ctx.state, org: ctx.org, board, now };
  const devices = () => fleetDevices(sources);
  // Built once from the kept events, then moved by each new one, so a summary never rereads them.
  const tally = new RolloutTally();
  for (const event of ctx.state.events()) tally.add(event);
  const rollouts = () => tally.summaries(ctx.org().goldenImages);
  const stream = new AdminStream(
    [
      () => ({ type: 'devices', devices: devices() }),
      () => ({ type: 'rollouts', rollouts: rollouts() }),
    ],
    options.streamThrottleMs,
    options.streamRefreshMs,
  );
  const uploads = new EventEmitter<{ upload: [UploadOutcome] }>();

  ctx.state.subscribe((update) => {
    if (update.kind === 'event') {
      tally.add(update.event);
      const { deviceId, ...event } = update.event;
      stream.send({ type: 'event', deviceId, event });
    }
    stream.changed();
  });
  board.on('channel', () => stream.changed());
  board.on('retrieval', () => stream.changed());
  registerCommandRoutes(app, { state: ctx.state, board, org: ctx.org });
  app.addHook('onClose', async () => {
    board.close();
    stream.close();
  });

  const hub: FleetHub = { board, uploads };
  return {
    hub,
    registerAdmin: (admin: FastifyInstance): void => {
      registerFleetRoutes(admin, {
        state: ctx.state,
        board,
        stream,
        devices,
        rollouts,
        imageVersions: () => imageVersions(devices(), ctx.org()),
      });
      registerVerifyRoute(admin, stream, ctx.baseUrl);
      registerUploadRoute(admin, {
        imagesDir: ctx.imagesDir,
        incomingDir: join(ctx.dataDir, 'uploads-incoming'),
        onSettled: (outcome) => uploads.emit('upload', outcome),
      });
    },
  };
}
