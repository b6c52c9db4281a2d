import type { Command } from 'commander';
import { EXIT_CODES } from '../../../shared/codes.ts';
import { terminalJson, terminalLine } from '../../../shared/terminal-text.ts';
import { openAgentStore } from '../../agent/agent-store.ts';
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
    .action((flags: { home?: string; json?: boolean }) => {
      const vms = new VmRegistry(openAgentStore(resolveHome(flags.home))).list();
      if (flags.json) {
        process.stdout.write(`${terminalJson(vms, 2)}\n`);
      } else if (vms.length === 0) {
        process.stdout.write('No VMs registered.\n');
      } else {
        for (const vm of vms) {
          const source =
            vm.source.kind === 'golden-image'
              ? `golden image "${vm.source.goldenImageName}" rev ${vm.source.policyRevision}`
              : `Installation Assistant (${vm.source.os})`;
          // Names come from the portal and the archive; one row per VM, one cell per tab.
          const cells = [vm.name, vm.arch, vm.state, source, vm.path].map(String).map(terminalLine);
          process.stdout.write(`${cells.join('\t')}\n`);
        }
      }
      setExitCode(EXIT_CODES.OK);
    });
}
