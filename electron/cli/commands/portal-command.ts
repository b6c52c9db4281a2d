import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { EXIT_CODES } from '../../../shared/codes.ts';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import { PortalDataError } from '../../portal/admin/data-files.ts';
import { prepareDemoOrg } from '../../portal/demo-org.ts';
import { OrgConfigError, loadOrgConfig } from '../../portal/org-config.ts';
import { startPortal, type RunningPortal } from '../../portal/server.ts';
import { parsePort, parsePositiveInt, parseSizeOption } from '../cli-options.ts';
import { untilInterrupted } from '../interrupt.ts';
import type { SetExitCode } from '../exit-code.ts';

interface PortalFlags {
  host: string;
  port: number;
  publicUrl?: string;
  data?: string;
  config?: string;
  demo?: boolean;
  demoSize?: number;
  adminToken?: string;
  faultSeed?: number;
  https?: boolean;
}

/** Registers `provisim portal`: the mock management portal, until Ctrl-C. */
export function registerPortalCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('portal')
    .description(
      'Serve the mock management portal, keeping its state in the data folder. Prints its base URL on the first line (with --https, the CA file on the second).',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 8080)
    .option(
      '--public-url <url>',
      'where agents reach the portal (behind a proxy, or listening on 0.0.0.0): the base of the links to the images it hosts',
      parsePublicUrl,
    )
    .option(
      '--data <dir>',
      'data folder: hosted images, saved organisation, events, admin token (default <home>/portal)',
    )
    .option('--config <file>', 'organisation configuration (YAML or JSON) for a fresh data folder')
    .option(
      '--demo',
      'serve the demo organisation with generated images (the default without --config)',
    )
    .option('--demo-size <size>', 'disk data size of the demo images', parseSizeOption)
    .option('--https', 'serve HTTPS with a test CA generated at start (needed by tls faults)')
    .option(
      '--admin-token <token>',
      "bearer token for the admin and fault APIs (default: the data folder's, made at first start)",
    )
    .option(
      '--fault-seed <n>',
      'seed of fault probabilities, for reproducible runs',
      parsePositiveInt,
    )
    .action(async (flags: PortalFlags) => {
      if (flags.config && flags.demo) {
        throw new ProvisimError('USAGE', { message: 'Use either --config or --demo, not both.' });
      }
      const dataDir = flags.data ?? join(resolveHome(), 'portal');
      let org;
      try {
        org = flags.config
          ? await loadOrgConfig(flags.config)
          : (await prepareDemoOrg({ dataDir, sizeBytes: flags.demoSize })).org;
      } catch (error) {
        if (!(error instanceof OrgConfigError)) throw error;
        process.stderr.write(`${error.message}\n`);
        return setExitCode(EXIT_CODES.USAGE);
      }
      let portal: RunningPortal;
      try {
        portal = await startPortal({
          host: flags.host,
          port: flags.port,
          publicUrl: flags.publicUrl,
          dataDir,
          org,
          persist: true,
          adminToken: flags.adminToken,
          faultSeed: flags.faultSeed,
          https: flags.https,
        });
      } catch (error) {
        if (!(error instanceof PortalDataError)) throw error;
        process.stderr.write(`${error.message}\n`);
        return setExitCode(EXIT_CODES.FAILED);
      }
      process.stderr.write(describeState(portal));
      process.stderr.write(`Admin pages: ${portal.url}/admin\n`);
      if (flags.publicUrl) process.stderr.write(`Image links point at ${flags.publicUrl}\n`);
      process.stdout.write(`${portal.url}\n`);
      if (portal.caCertPath !== undefined) {
        process.stdout.write(`${portal.caCertPath}\n`);
        process.stderr.write(
          `HTTPS with a test CA generated for this run. Agents trust it with: provisim run --ca-file "${portal.caCertPath}"\n`,
        );
      }
      if (!flags.config) process.stderr.write(describeDemoKeys(portal.org.licenseKeys));
      await untilInterrupted();
      await portal.close();
      process.stderr.write('Portal stopped.\n');
      setExitCode(EXIT_CODES.OK);
    });
}

function parsePublicUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new InvalidArgumentError('Use an http or https URL like http://portal.example:8080.');
  }
  return url.href.replace(/\/$/, '');
}

function describeDemoKeys(keys: readonly { key: string; kind: string; state: string }[]): string {
  const lines = keys.map((k) => `  ${k.key}  (${k.kind}, ${k.state})`);
  return `Demo organisation. License keys:\n${lines.join('\n')}\n`;
}

/** Where the organisation came from and how to reach the admin API; the token only when new. */
export function describeState(portal: RunningPortal): string {
  const lines: string[] = [];
  if (portal.persistence?.loaded) {
    lines.push(
      `Organisation loaded from ${portal.persistence.orgStateFile}, as the admin API left it (--config and --demo only seed a fresh data folder).`,
    );
  }
  const admin = portal.adminToken;
  if (admin?.generated) {
    lines.push(
      `Admin token (shown only this once, stored in ${admin.file}): ${admin.token}`,
      `Use it as "Authorization: Bearer <token>" on ${portal.url}/api/v1/admin/...`,
    );
  } else if (admin?.file) {
    lines.push(`Admin token: stored in ${admin.file}.`);
  } else if (admin) {
    lines.push('Admin token: the one given with --admin-token.');
  }
  return lines.map((line) => `${line}\n`).join('');
}
