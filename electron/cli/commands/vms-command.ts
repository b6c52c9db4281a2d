import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import {
  BACKEND_CHOICES,
  type BackendChoice,
  type VmRecord,
} from '../../../shared/agent-store-schema.ts';
import { EXIT_CODES } from '../../../shared/codes.ts';
import { terminalJson, terminalLine } from '../../../shared/terminal-text.ts';
import { openAgentStore } from '../../agent/agent-store.ts';
import { nearestExisting } from '../../agent/disk-space.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import { resolveBackend } from '../../agent/hypervisor/choose-backend.ts';
import { mergeVmLists, type ListedVm } from '../../agent/hypervisor/merged-vms.ts';
import { VmRegistry } from '../../agent/vm-registry.ts';
import type { SetExitCode } from '../exit-code.ts';

interface VmsFlags {
  home?: string;
  json?: boolean;
  backend?: BackendChoice;
}

const HEADER = 'NAME\tARCH\tSTATE\tSOURCE\tFOLDER\n';

/** Registers `provisim vms`: the VMs registered in a home folder (and in Parallels Desktop). */
export function registerVmsCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('vms')
    .description('List the registered VMs.')
    .option('--home <dir>', 'agent home folder (default $PROVISIM_HOME or ~/.provisim)')
    .option('--json', 'print the list as JSON (on failure, a failed result object)')
    .addOption(
      new Option(
        '--backend <kind>',
        "whose VMs to list: parallels (Parallels Desktop's, marked when Provisim registered them), simulated (Provisim's) or auto (parallels when prlctl answers). Default: the remembered choice, else auto",
      ).choices(BACKEND_CHOICES),
    )
    .action(async (flags: VmsFlags) => {
      const home = resolveHome(flags.home);
      // Listing is reading: a home that was never used is not made by looking at it. One that
      // cannot be a folder (a file in the way) goes on to the store, which names the problem.
      const unused = !existsSync(join(home, 'agent.json')) && (await canBeFolder(home));
      const store = unused ? undefined : openAgentStore(home);
      const vms = store ? new VmRegistry(store).list() : [];
      const backend = await resolveBackend(flags.backend ?? store?.get('backend'));
      if (backend.kind === 'parallels') {
        printMerged(mergeVmLists(await backend.list(), vms), flags.json === true);
      } else {
        printRegistry(vms, flags.json === true);
      }
      setExitCode(EXIT_CODES.OK);
    });
}

function sourceText(source: VmRecord['source'] | null): string {
  if (source === null) return 'Parallels Desktop (not by Provisim)';
  return source.kind === 'golden-image'
    ? `golden image "${source.goldenImageName}" rev ${source.policyRevision}`
    : `Installation Assistant (${source.os})`;
}

// Names come from the portal, the archive and Parallels: one row per VM, one cell per tab.
function printRow(cells: readonly string[]): void {
  process.stdout.write(`${cells.map(terminalLine).join('\t')}\n`);
}

function printRegistry(vms: readonly VmRecord[], json: boolean): void {
  if (json) {
    process.stdout.write(`${terminalJson(vms, 2)}\n`);
    return;
  }
  if (vms.length === 0) {
    process.stdout.write('No VMs registered.\n');
    return;
  }
  process.stdout.write(HEADER);
  for (const vm of vms) {
    const folder = vm.simulated ? '(simulated: no files)' : vm.path;
    printRow([vm.name, vm.arch, vm.state, sourceText(vm.source), folder]);
  }
}

function printMerged(vms: readonly ListedVm[], json: boolean): void {
  if (json) {
    process.stdout.write(`${terminalJson(vms, 2)}\n`);
    return;
  }
  if (vms.length === 0) {
    process.stdout.write('No VMs registered (in Parallels Desktop or by Provisim).\n');
    return;
  }
  process.stdout.write(HEADER);
  for (const vm of vms) {
    const folder = vm.inHypervisor ? vm.path : `${vm.path} (not in Parallels Desktop)`;
    printRow([vm.name, vm.arch ?? '-', vm.state, sourceText(vm.source), folder]);
  }
}

async function canBeFolder(path: string): Promise<boolean> {
  try {
    return (await stat((await nearestExisting(path)).path)).isDirectory();
  } catch {
    return false;
  }
}
