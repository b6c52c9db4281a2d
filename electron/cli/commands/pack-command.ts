import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { EXIT_CODES } from '../../../shared/codes.ts';
import { prepareWritableFolder } from '../../agent/writable-folder.ts';
import { packVm } from '../../archive/pack-vm.ts';
import type { SetExitCode } from '../exit-code.ts';
import { describePacked } from '../packed-output.ts';

const OUT_ADVICE = 'Give --out a file in a folder you can write to';

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
    .option('--gzip', 'gzip-compress a .pvmp')
    .action(async (vm: string, flags: { out?: string; format: 'pvmp' | 'zip'; gzip?: boolean }) => {
      // The folder --out names is made, as make-image's is; one that cannot be is named.
      if (flags.out !== undefined) {
        await prepareWritableFolder(dirname(resolve(flags.out)), 'folder of --out', OUT_ADVICE);
      }
      const result = await packVm(vm, { out: flags.out, format: flags.format, gzip: flags.gzip });
      process.stdout.write(describePacked(result));
      setExitCode(EXIT_CODES.OK);
    });
}
