import type { Logger } from 'pino';
import type { BackendChoice } from '../../../shared/agent-store-schema.ts';
import { assertNever } from '../../../shared/assert-never.ts';
import type { HypervisorBackend } from './hypervisor-backend.ts';
import { ParallelsBackend } from './parallels-backend.ts';
import { runPrlctl, type PrlctlOptions } from './prlctl.ts';
import { SimulatedBackend } from './simulated-backend.ts';

// A prlctl that hangs must not hold up every start and run: it answers at once when it works.
const PROBE_TIMEOUT_MS = 5_000;

/** What `prlctl --version` answered ("prlctl version 26.4.1 (57516)"), or undefined when it did not. */
export async function prlctlVersion(options: PrlctlOptions = {}): Promise<string | undefined> {
  try {
    return (
      await runPrlctl(['--version'], { ...options, timeoutMs: PROBE_TIMEOUT_MS })
    ).stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * The backend a choice means: `auto` (the default) is Parallels Desktop when `prlctl --version`
 * answers, else simulated; `parallels` refuses (PARALLELS_NOT_INSTALLED…) when prlctl does not.
 */
export async function resolveBackend(
  choice: BackendChoice | undefined,
  options: { readonly logger?: Logger; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<HypervisorBackend> {
  const wanted = choice ?? 'auto';
  switch (wanted) {
    case 'simulated':
      return new SimulatedBackend();
    case 'parallels':
      // The mapped error (not installed, not licensed…) is the answer the user needs.
      await runPrlctl(['--version'], { ...options, timeoutMs: PROBE_TIMEOUT_MS });
      return new ParallelsBackend(options);
    case 'auto': {
      const version = await prlctlVersion(options);
      options.logger?.info(
        { backend: version ? 'parallels' : 'simulated', prlctl: version },
        'backend chosen',
      );
      return version ? new ParallelsBackend(options) : new SimulatedBackend();
    }
    default:
      return assertNever(wanted);
  }
}
