import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** How to start the `provisim` command as a user's shell would. */
export interface ProvisimCommand {
  /** The bin itself (its shebang picks the interpreter) or, if it is not executable, node. */
  readonly argv: readonly string[];
}

/** Resolves the package's `provisim` bin: node_modules/.bin, else package.json's `bin`. */
export function resolveProvisim(root: string): ProvisimCommand {
  // package.json is read at run time, so a bin switched to another file is picked up.
  const linked = join(root, 'node_modules', '.bin', 'provisim');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const declared = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.provisim;
  const file = existsSync(linked) ? linked : declared && resolve(root, declared);
  if (!file || !existsSync(file)) {
    throw new Error(
      `package.json names no provisim bin that exists (bin: ${JSON.stringify(pkg.bin)})`,
    );
  }
  return { argv: isExecutable(file) ? [file] : [process.execPath, file] };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
