import { InvalidArgumentError, Option } from 'commander';
import { BACKEND_CHOICES } from '../../shared/agent-store-schema.ts';
import { ARCHES, type Arch } from '../../shared/protocol.ts';
import { parseSize } from '../archive/make-image.ts';

/** Parses `--arch`, accepting the portal's names and common aliases. */
export function parseArch(value: string): Arch {
  const aliases: Record<string, Arch> = { aarch64: 'arm64', x64: 'x86_64', amd64: 'x86_64' };
  const arch = aliases[value] ?? value;
  if (!(ARCHES as readonly string[]).includes(arch)) {
    throw new InvalidArgumentError(`Use one of: ${ARCHES.join(', ')}.`);
  }
  return arch as Arch;
}

/** Parses a host name to report: 1–63 letters, digits and hyphens per label, as a Mac's network name. */
export function parseHostname(value: string): string {
  if (
    value.length > 253 ||
    !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(
      value,
    )
  ) {
    throw new InvalidArgumentError('Use letters, digits, hyphens and dots, like QA-MBP-0042.');
  }
  return value;
}

/** Parses a TCP port (0 picks a free one). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('Use a whole number from 0 to 65535 (0 picks a free port).');
  }
  return port;
}

/** Parses a byte size such as 64MiB. */
export function parseSizeOption(value: string): number {
  try {
    return parseSize(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Parses `--memory`: 8GB or 8GiB (the app's unit), 512MB, or a bare number of MB as before.
 * Memory is counted in binary units, as Parallels Desktop does: 1 GB of RAM is 1024 MB.
 */
export function parseMemoryMb(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb|gib|g|mb|mib|m)?\s*$/i.exec(value);
  const perUnit = match?.[2]?.toLowerCase().startsWith('g') ? 1024 : 1;
  const mb = match ? Number(match[1]) * perUnit : NaN;
  if (!Number.isInteger(mb) || mb <= 0) {
    throw new InvalidArgumentError('Use a size like 8GB or 512MB (a bare number counts MB).');
  }
  return mb;
}

/** Parses a positive whole number. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('Use a whole number above 0.');
  return n;
}

/** `--proxy <url>` as run, agent and demo take it. */
export function proxyOption(): Option {
  return new Option(
    '--proxy <url>',
    'HTTP proxy for the portal and the image, e.g. http://user:password@proxy:3128 (remembered; "" forgets it). Default: $HTTPS_PROXY / $HTTP_PROXY, hosts in $NO_PROXY go direct',
  );
}

/** `--backend <kind>`: which hypervisor registers VMs, as run, agent and create take it. */
export function backendOption(): Option {
  return new Option(
    '--backend <kind>',
    'who registers the VMs: parallels (Parallels Desktop through prlctl), simulated (Provisim only) or auto (parallels when prlctl answers; the default). Remembered',
  ).choices(BACKEND_CHOICES);
}

// Hidden: scenarios about hanging or failing servers set these to stay quick.

/** `--stall-timeout <ms>`: abort an attempt after this long without a byte. */
export function stallTimeoutOption(): Option {
  return new Option('--stall-timeout <ms>', 'abort an attempt after this long without a byte')
    .argParser(parsePositiveInt)
    .hideHelp();
}

/** `--retries <n>`: the retry budget per stall. */
export function retriesOption(): Option {
  return new Option('--retries <n>', 'retry budget per stall')
    .argParser(parsePositiveInt)
    .hideHelp();
}

/** `--retry-delay <ms>`: the wait before the first retry (doubling after). */
export function retryDelayOption(): Option {
  return new Option('--retry-delay <ms>', 'wait before the first retry (doubles after)')
    .argParser(parsePositiveInt)
    .hideHelp();
}
