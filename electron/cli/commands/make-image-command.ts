import { Option, type Command } from 'commander';
import { EXIT_CODES } from '../../../shared/codes.ts';
import type { Arch } from '../../../shared/protocol.ts';
import { makeImage } from '../../archive/make-image.ts';
import { parseArch, parseSizeOption } from '../cli-options.ts';
import type { SetExitCode } from '../exit-code.ts';
import { describePacked } from '../packed-output.ts';

interface MakeImageFlags {
  name: string;
  arch: Arch;
  size: number;
  out: string;
  format: 'pvmp' | 'zip';
  gzip?: boolean;
  seed?: string;
}

/** Registers `provisim make-image`: a deterministic synthetic VM, packed, with its checksum file. */
export function registerMakeImageCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('make-image')
    .description('Make a deterministic synthetic VM image (packed, with its .sha256.txt).')
    .requiredOption('--name <name>', 'VM name')
    .requiredOption('--arch <arch>', 'guest CPU architecture: arm64 or x86_64', parseArch)
    .requiredOption('--size <size>', 'virtual disk data size, e.g. 64MiB or 1GiB', parseSizeOption)
    .requiredOption('--out <dir>', 'folder to write the archive into')
    .addOption(
      new Option('--format <format>', 'archive format').choices(['pvmp', 'zip']).default('pvmp'),
    )
    .option('--gzip', 'gzip-compress a .pvmp')
    .option('--seed <seed>', 'seed of the synthetic content (same seed, same bytes)')
    .action(async (flags: MakeImageFlags) => {
      const result = await makeImage({
        name: flags.name,
        arch: flags.arch,
        sizeBytes: flags.size,
        outDir: flags.out,
        format: flags.format,
        gzip: flags.gzip,
        seed: flags.seed,
      });
      process.stdout.write(describePacked(result));
      setExitCode(EXIT_CODES.OK);
    });
}
