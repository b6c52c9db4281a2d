import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { EXIT_CODES } from '../../../shared/codes.ts';
import { terminalJson, terminalLine } from '../../../shared/terminal-text.ts';
import { openAgentStore } from '../../agent/agent-store.ts';
import { nearestExisting } from '../../agent/disk-space.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import { VmRegistry } from '../../agent/vm-registry.ts';
import type { SetExitCode } from '../exit-code.ts';

/** Registers `provisim vms`: the VMs registered in a home folder. */
export function registerVmsCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('vms')
    .description('List the registered VMs.')
    .option('--home <dir>', 'agent home folder (default $PROVISIM_HOME or ~/.provisim)')
    .option('--json', 'print the list as JSON (on failure, a failed result object)')
    .action(async (flags: { home?: string; json?: boolean }) => {
      const home = resolveHome(flags.home);
      // Listing is reading: a home that was never used is not made by looking at it. One that
      // cannot be a folder (a file in the way) goes on to the store, which names the problem.
      const unused = !existsSync(join(home, 'agent.json')) && (await canBeFolder(home));
      const vms = unused ? [] : new VmRegistry(openAgentStore(home)).list();
      if (flags.json) {
        process.stdout.write(`${terminalJson(vms, 2)}\n`);
      } else if (vms.length === 0) {
        process.stdout.write('No VMs registered.\n');
      } else {
        process.stdout.write('NAME\tARCH\tSTATE\tSOURCE\tFOLDER\n');
        for (const vm of vms) {
          const source =
            vm.source.kind === 'golden-image'
              ? `golden image "${vm.source.goldenImageName}" rev ${vm.source.policyRevision}`
              : `Installation Assistant (${vm.source.os})`;
          // Names come from the portal and the archive; one row per VM, one cell per tab.
          const folder = vm.simulated ? '(simulated: no files)' : vm.path;
          const cells = [vm.name, vm.arch, vm.state, source, folder].map(String).map(terminalLine);
          process.stdout.write(`${cells.join('\t')}\n`);
        }
      }
      setExitCode(EXIT_CODES.OK);
    });
}

async function canBeFolder(path: string): Promise<boolean> {
  try {
    return (await stat((await nearestExisting(path)).path)).isDirectory();
  } catch {
    return false;
  }
}
