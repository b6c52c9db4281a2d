import { resolve } from 'node:path';
import type { Command } from 'commander';
import { exitCodeFor } from '../../../shared/run-result.ts';
import type { Arch } from '../../../shared/protocol.ts';
import type { BackendChoice } from '../../../shared/agent-store-schema.ts';
import { configFrom } from '../../agent/agent-config.ts';
import { openAgentStore } from '../../agent/agent-store.ts';
import { runAssistantAction } from '../../agent/assistant-job.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import { closeLoggers } from '../../agent/logger.ts';
import { SUPPORTED_GUEST_OSES } from '../../agent/installation-assistant.ts';
import {
  backendOption,
  parseArch,
  parseMemoryMb,
  parsePositiveInt,
  parseSizeOption,
} from '../cli-options.ts';
import { writeJsonLine } from '../json-output.ts';
import type { SetExitCode } from '../exit-code.ts';
import { describeCreateResult } from '../run-output.ts';

interface CreateFlags {
  name: string;
  os: string;
  arch?: Arch;
  home?: string;
  vmDir?: string;
  backend?: BackendChoice;
  cpus?: number;
  memory?: number;
  disk?: number;
  json?: boolean;
}

/** Registers `provisim create`: the Installation Assistant (a VM from scratch). */
export function registerCreateCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('create')
    .description(
      'Installation Assistant: create a VM from scratch (refused when policy allows corporate VMs only).',
    )
    .requiredOption('--name <name>', 'VM name')
    .requiredOption('--os <os>', `guest OS: ${SUPPORTED_GUEST_OSES.join(', ')}`)
    .option('--cpus <n>', 'virtual CPUs', parsePositiveInt)
    .option('--memory <size>', 'memory, e.g. 8GB (a bare number counts MB)', parseMemoryMb)
    .option('--disk <size>', 'virtual disk size, e.g. 64GiB', parseSizeOption)
    .option('--arch <arch>', 'CPU architecture of this Mac: arm64 or x86_64', parseArch)
    .option('--home <dir>', 'agent home folder (default $PROVISIM_HOME or ~/.provisim)')
    .option('--vm-dir <dir>', 'where VMs are placed (default <home>/Parallels)')
    .addOption(backendOption())
    .option('--json', 'print NDJSON events; the last line is the result')
    .action(async (flags: CreateFlags) => {
      const home = resolveHome(flags.home);
      const store = openAgentStore(home);
      // Remembered as run remembers it: the next command registers with the same hypervisor.
      if (flags.backend) store.set('backend', flags.backend);
      const result = await runAssistantAction({
        home,
        name: flags.name,
        os: flags.os,
        // The portal and key a run remembered: the policy there may allow corporate VMs only.
        config: configFrom(store, {
          arch: flags.arch,
          vmDir: flags.vmDir === undefined ? undefined : resolve(flags.vmDir),
          backend: flags.backend,
        }),
        cpus: flags.cpus,
        memoryMb: flags.memory,
        diskSizeBytes: flags.disk,
        onEvent: flags.json ? writeJsonLine : undefined,
      });
      await closeLoggers();
      if (flags.json) writeJsonLine(result);
      else (result.vm ? process.stdout : process.stderr).write(`${describeCreateResult(result)}\n`);
      setExitCode(exitCodeFor(result));
    });
}
