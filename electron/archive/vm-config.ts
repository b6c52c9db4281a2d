import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { ARCHES, type Arch } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';

/** The facts of a VM that its config.pvs holds. */
export interface VmConfig {
  /** The VM's uuid as written in config.pvs, without braces. */
  uuid: string;
  name: string;
  arch: Arch;
  os?: string;
  cpus?: number;
  memoryMb?: number;
}

/** File name of the VM configuration inside a `.pvm` bundle. */
export const CONFIG_FILE = 'config.pvs';

/** The largest config.pvs read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
const UUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
const PATHS = {
  uuid: ['Identification', 'VmUuid'],
  name: ['Identification', 'VmName'],
  os: ['Settings', 'General', 'OsType'],
  cpus: ['Hardware', 'Cpu', 'Number'],
  arch: ['Hardware', 'Cpu', 'Architecture'],
  memoryMb: ['Hardware', 'Memory', 'RAM'],
} as const;

/** VM_INVALID for a config.pvs that cannot be used, with the problem named. */
export function invalidConfig(problem: string, cause?: unknown): ProvisimError {
  return new ProvisimError('VM_INVALID', {
    message: `The VM's config.pvs is not usable: ${problem}. Ask your administrator for a correct image.`,
    cause,
  });
}

function textAt(root: unknown, path: readonly string[]): string | undefined {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
    if (Array.isArray(node)) throw invalidConfig(`<${key}> appears more than once`);
  }
  if (node === undefined) return undefined;
  if (typeof node !== 'string') throw invalidConfig(`<${path.join('/')}> must hold text`);
  return node;
}

function requiredText(root: unknown, path: readonly string[]): string {
  const value = textAt(root, path)?.trim();
  if (!value) throw invalidConfig(`<${path.join('/')}> is missing or empty`);
  return value;
}

function optionalCount(root: unknown, path: readonly string[]): number | undefined {
  const value = textAt(root, path)?.trim();
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) === 0) {
    throw invalidConfig(
      `<${path.join('/')}> must be a positive whole number, not ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

/** Reads the facts of a VM from the XML text of its config.pvs; VM_INVALID when unusable. */
export function parseVmConfig(xml: string): VmConfig {
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw invalidConfig(`its XML is malformed (${valid.err.msg}, line ${valid.err.line})`);
  const document: unknown = new XMLParser({ ignoreAttributes: true, parseTagValue: false }).parse(
    xml,
  );
  const root = (document as Record<string, unknown>).ParallelsVirtualMachine;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw invalidConfig('its root element is not <ParallelsVirtualMachine>');
  }
  const uuid = UUID.exec(requiredText(root, PATHS.uuid))?.[1];
  if (!uuid) throw invalidConfig('<Identification/VmUuid> is not a uuid');
  const arch = requiredText(root, PATHS.arch);
  if (!(ARCHES as readonly string[]).includes(arch)) {
    throw invalidConfig(
      `<Hardware/Cpu/Architecture> is ${JSON.stringify(arch)}, not arm64 or x86_64`,
    );
  }
  const os = textAt(root, PATHS.os)?.trim();
  const cpus = optionalCount(root, PATHS.cpus);
  const memoryMb = optionalCount(root, PATHS.memoryMb);
  return {
    uuid,
    name: requiredText(root, PATHS.name),
    arch: arch as Arch,
    ...(os ? { os } : {}),
    ...(cpus === undefined ? {} : { cpus }),
    ...(memoryMb === undefined ? {} : { memoryMb }),
  };
}

/** Reads `<pvmDir>/config.pvs`; VM_INVALID with the reason when it is missing or unusable. */
export async function readVmConfig(pvmDir: string): Promise<VmConfig> {
  const path = join(pvmDir, CONFIG_FILE);
  const stats = await stat(path).catch((error: unknown) => {
    throw invalidConfig('the VM folder has no config.pvs', error);
  });
  if (!stats.isFile()) throw invalidConfig('config.pvs is not a file');
  if (stats.size > MAX_CONFIG_BYTES)
    throw invalidConfig(`it is larger than ${MAX_CONFIG_BYTES} bytes`);
  return parseVmConfig(await readFile(path, 'utf8'));
}

/** The config.pvs XML text for a VM. */
export function renderVmConfig(config: VmConfig): string {
  const cpu: Record<string, unknown> = {};
  if (config.cpus !== undefined) cpu.Number = config.cpus;
  cpu.Architecture = config.arch;
  const hardware: Record<string, unknown> = { Cpu: cpu };
  if (config.memoryMb !== undefined) hardware.Memory = { RAM: config.memoryMb };
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    ParallelsVirtualMachine: {
      '@_schemaVersion': '1.0',
      Identification: { VmUuid: `{${config.uuid}}`, VmName: config.name },
      ...(config.os === undefined ? {} : { Settings: { General: { OsType: config.os } } }),
      Hardware: hardware,
    },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, indentBy: '  ' });
  return builder.build(document) as string;
}
