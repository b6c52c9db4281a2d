import type { Arch } from '../../shared/protocol.ts';
import { unreadable } from './archive-errors.ts';
import { EntryAdmission, type ExtractSummary } from './entry-admission.ts';
import type { TarEntry } from './tar-framer.ts';
import { checkBundle, pickBundle } from './vm-bundle-rules.ts';
import {
  CONFIG_FILE,
  invalidConfig,
  MAX_CONFIG_BYTES,
  parseVmConfig,
  type VmConfig,
} from './vm-config.ts';

/**
 * Takes an archive's entries as unpacking does, with the same rules, but writes nothing: it keeps
 * the list of entries and the text of each config.pvs, so the VM can be checked from memory.
 */
export class EntryChecker {
  private readonly admission: EntryAdmission;
  private readonly targets = new Map<string, string>();
  private readonly configs = new Map<string, Buffer>();
  private current: { path: string; left: number; kept?: Buffer[] } | undefined;

  constructor(limits: ConstructorParameters<typeof EntryAdmission>[0]) {
    this.admission = new EntryAdmission(limits);
  }

  /** Entries and file bytes admitted so far. */
  get summary(): ExtractSummary {
    return this.admission.summary;
  }

  /** Checks an entry and notes it (and its link target). */
  begin(entry: TarEntry): Promise<void> {
    this.closeFile();
    const admission = this.admission;
    const path = admission.admit(entry);
    if (path === undefined) return Promise.resolve();
    admission.assertNew(path, entry);
    if (entry.type === 'Directory') {
      admission.record(path, 'dir');
    } else if (entry.type === 'SymbolicLink') {
      admission.record(path, 'link');
      this.targets.set(path, entry.linkpath!);
    } else {
      admission.record(path, 'file');
      const keep = path.split('/').at(-1) === CONFIG_FILE && entry.size <= MAX_CONFIG_BYTES;
      this.current = { path, left: entry.size, ...(keep ? { kept: [] } : {}) };
    }
    return Promise.resolve();
  }

  /** Counts the current file's data; keeps it only for a config.pvs. */
  data(bytes: Uint8Array): undefined {
    const current = this.current;
    if (!current || bytes.length > current.left) {
      throw unreadable('an entry that is not a file carries data');
    }
    current.left -= bytes.length;
    // Copied: the chunk may be reused once this returns.
    current.kept?.push(Buffer.from(bytes));
    return undefined;
  }

  /** Ends the current file. */
  closeFile(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current?.kept) this.configs.set(current.path, Buffer.concat(current.kept));
    return Promise.resolve();
  }

  /** Nothing is written, so nothing waits. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Drops the current file. */
  discard(): Promise<void> {
    this.current = undefined;
    return Promise.resolve();
  }

  /** A checker holds no earlier run's files: nothing can be adopted. */
  adopt(): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** The VM the archive holds, checked as a VM unpacked on disk is checked. */
  vm(hostArch: Arch): VmConfig {
    const made = this.admission.made;
    const top = [...made].flatMap(([path, kind]) =>
      path.includes('/') ? [] : [{ name: path, isDir: kind === 'dir' }],
    );
    const bundle = pickBundle(top, made.get(CONFIG_FILE) === 'file');
    const prefix = bundle === '' ? '' : `${bundle}/`;
    const configPath = `${prefix}${CONFIG_FILE}`;
    if (!made.has(configPath)) throw invalidConfig('the VM folder has no config.pvs');
    if (made.get(configPath) !== 'file') throw invalidConfig('config.pvs is not a file');
    const text = this.configs.get(configPath);
    if (!text) throw invalidConfig(`it is larger than ${MAX_CONFIG_BYTES} bytes`);
    const config = parseVmConfig(text.toString('utf8'));
    const inBundle = (path: string) => (path.startsWith(prefix) ? path.slice(prefix.length) : '');
    const disks = [...made].filter(([path, kind]) => {
      const rel = inBundle(path);
      return kind === 'dir' && rel !== '' && !rel.includes('/') && /\.hdd$/i.test(rel);
    }).length;
    const links = [...this.targets].flatMap(([path, target]) => {
      const rel = inBundle(path);
      return rel === '' ? [] : [{ rel, target }];
    });
    return checkBundle({ config, disks, links }, hostArch);
  }
}
