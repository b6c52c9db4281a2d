import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import prettyBytes from 'pretty-bytes';
import { EXIT_CODES } from '../../../shared/codes.ts';
import { isProvisimError, ProvisimError } from '../../../shared/provisim-error.ts';
import { terminalLine } from '../../../shared/terminal-text.ts';
import { openAgentStore } from '../../agent/agent-store.ts';
import { resolveHome } from '../../agent/home-layout.ts';
import { VmRegistry } from '../../agent/vm-registry.ts';
import { prepareWritableFolder } from '../../agent/writable-folder.ts';
import { packVm } from '../../archive/pack-vm.ts';
import type { SetExitCode } from '../exit-code.ts';
import { withInterrupt } from '../interrupt.ts';
import { describePacked } from '../packed-output.ts';
import { createProgressView } from '../progress-view.ts';

const OUT_ADVICE = 'Give --out a file in a folder you can write to';

interface PackFlags {
  out?: string;
  format: 'pvmp' | 'zip';
  compress: boolean;
  home?: string;
}

/** Registers `provisim pack`: Prepare for Transfer (archive plus its .sha256.txt). */
export function registerPackCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('pack')
    .description('Prepare a VM for transfer: write a .pvmp (or .zip) and its <name>.sha256.txt.')
    .argument('<vm>', 'the VM folder (<Name>.pvm)')
    .option('--out <file>', 'archive to write (default beside the VM)')
    .addOption(
      new Option('--format <format>', 'archive format').choices(['pvmp', 'zip']).default('pvmp'),
    )
    .option('--no-compress', 'store the data as it is (compressed by default: gzip, zip deflate)')
    // Compression was an opt-in before it became the default; old scripts still pass --gzip.
    .addOption(new Option('--gzip', 'compress (the default)').hideHelp().conflicts('compress'))
    .option(
      '--home <dir>',
      'agent home whose VM list says whether the VM runs (default $PROVISIM_HOME or ~/.provisim)',
    )
    .action(async (vm: string, flags: PackFlags) => {
      await refuseRunningVm(vm, flags.home);
      // The folder --out names is made, as make-image's is; one that cannot be is named.
      if (flags.out !== undefined) {
        await prepareWritableFolder(dirname(resolve(flags.out)), 'folder of --out', OUT_ADVICE);
      }
      setExitCode(await pack(vm, flags));
    });
}

async function pack(vm: string, flags: PackFlags) {
  const view = createProgressView(process.stderr);
  let started = false;
  try {
    const result = await withInterrupt((signal) =>
      packVm(vm, {
        out: flags.out,
        format: flags.format,
        compress: flags.compress,
        signal,
        onProgress: ({ readBytes, totalBytes }) => {
          if (!started) {
            started = true;
            const name = basename(resolve(vm)).replace(/\.pvm$/i, '');
            view.log(`Packing "${name}": ${prettyBytes(totalBytes)} to read (Ctrl-C cancels)`);
          }
          view.update({
            transferred: readBytes,
            total: totalBytes,
            attemptBytes: readBytes,
            resumedFrom: 0,
          });
        },
      }),
    );
    view.stop();
    process.stdout.write(describePacked(result));
    return EXIT_CODES.OK;
  } catch (error) {
    view.stop();
    if (!isProvisimError(error) || error.code !== 'CANCELLED') throw error;
    process.stderr.write('Stopped. Nothing was written: the partial archive was removed.\n');
    return EXIT_CODES.INTERRUPTED;
  }
}

/** VM_RUNNING when the home's VM list shows this folder's VM running; an unused home lists none. */
async function refuseRunningVm(vm: string, homeFlag: string | undefined): Promise<void> {
  const home = resolveHome(homeFlag);
  if (!existsSync(join(home, 'agent.json'))) return;
  const canonical = async (path: string) => realpath(path).catch(() => resolve(path));
  const target = await canonical(vm);
  for (const registered of new VmRegistry(openAgentStore(home)).list()) {
    if (registered.state !== 'running' || (await canonical(registered.path)) !== target) continue;
    const name = terminalLine(registered.name);
    throw new ProvisimError('VM_RUNNING', {
      message: `"${name}" is running. Shut it down first (Stop in the Control Center's VM list), then pack it again.`,
    });
  }
}
