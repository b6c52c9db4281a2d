import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FaultSpecInput } from '../../shared/faults.ts';
import { isProvisimError } from '../../shared/provisim-error.ts';
import { createAppService } from '../app/app-service.ts';
import { resolveHome } from '../agent/home-layout.ts';
import { closeLoggers } from '../agent/logger.ts';
import { parseSize } from '../archive/make-image.ts';
import { untilInterrupted } from '../cli/interrupt.ts';
import { startWebHost } from './web-host.ts';

const USAGE =
  'Usage: npm run start:web -- [--home <dir>] [--port <n>] [--static <dir>] [--demo-size <size>] [--demo-bandwidth <bytes/s>]';

// Beside the sources, not the working directory, so the command works from any folder.
const BUILT_RENDERER = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

async function startWeb(argv: readonly string[]): Promise<number> {
  let flags: {
    home?: string;
    port?: string;
    static?: string;
    'demo-size'?: string;
    'demo-bandwidth'?: string;
  };
  let port: number;
  let sizeBytes: number | undefined;
  let faults: FaultSpecInput[];
  try {
    flags = parseArgs({
      args: [...argv],
      options: {
        home: { type: 'string' },
        port: { type: 'string' },
        static: { type: 'string' },
        'demo-size': { type: 'string' },
        'demo-bandwidth': { type: 'string' },
      },
    }).values;
    port = Number(flags.port ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new Error('--port must be a whole number from 0 to 65535.');
    }
    const demoSize = flags['demo-size'];
    sizeBytes = demoSize === undefined ? undefined : parseSize(demoSize);
    faults = bandwidthFaults(flags['demo-bandwidth']);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const staticDir = flags.static ?? (existsSync(BUILT_RENDERER) ? BUILT_RENDERER : undefined);
  const home = resolveHome(flags.home);
  const service = await createAppService({ home, embeddedPortal: { sizeBytes, faults } });
  const host = await startWebHost({ service, port, staticDir }).catch(async (error: unknown) => {
    await service.close();
    throw error;
  });
  const { agent } = service.state();
  const portal = agent.embeddedPortal ? `embedded demo portal ${agent.portalUrl}` : agent.portalUrl;
  const page = staticDir ? '' : ' (API only: build the renderer into dist/renderer for the page)';
  // The address ends the line: a terminal that links it must not take a ";" into the token.
  process.stdout.write(
    `Provisim is running${page}; portal: ${portal}; home: ${home}; open ${host.pageUrl}\n`,
  );
  await untilInterrupted();
  await host.close();
  await service.close();
  await closeLoggers();
  return 0;
}

// Demos and E2E tests of pause and resume need a download that lasts: cap the image transfers.
function bandwidthFaults(value: string | undefined): FaultSpecInput[] {
  if (value === undefined) return [];
  const bytesPerSec = Number(value);
  if (!Number.isInteger(bytesPerSec) || bytesPerSec < 1) {
    throw new Error('--demo-bandwidth must be a whole number of bytes per second, 1 or more.');
  }
  return [{ type: 'bandwidth', bytesPerSec, scope: { paths: ['/images/*'] } }];
}

try {
  process.exitCode = await startWeb(process.argv.slice(2));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${isProvisimError(error) ? `${error.code}: ` : ''}${message}\n`);
  process.exitCode = 1;
}
