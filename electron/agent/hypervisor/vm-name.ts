import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import { CONFIG_FILE, parseVmConfig } from '../../archive/vm-config.ts';

const MAX_NAME_ATTEMPTS = 1000;
const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
// The name inside <Identification>, with or without attributes on <VmName>.
const VM_NAME = /(<Identification\b[^>]*>[\s\S]*?<VmName\b[^>]*>)([\s\S]*?)(<\/VmName>)/;

/** `name`, or "name (2)", "name (3)"… whichever no VM in `taken` has (compared ignoring case). */
export function freeVmName(name: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((item) => item.toLowerCase()));
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt += 1) {
    const candidate = attempt === 1 ? name : `${name} (${attempt})`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
  throw new ProvisimError('PARALLELS_VM_EXISTS', {
    message: `Parallels Desktop already has ${MAX_NAME_ATTEMPTS} VMs named like "${name}". Remove some in Control Center, then try again.`,
  });
}

/** Text for an XML element's content: markup characters as entities. */
export function xmlText(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char]!);
}

/** Writes `name` as the VM name (<Identification><VmName>) of the bundle's config.pvs. */
export async function writeVmName(bundle: string, name: string): Promise<void> {
  const path = join(bundle, CONFIG_FILE);
  const xml = await readFile(path, 'utf8');
  if (!VM_NAME.test(xml)) {
    throw new ProvisimError('VM_INVALID', {
      message:
        "The VM's config.pvs has no <Identification><VmName> to name the VM by. Ask your administrator for a correct image.",
    });
  }
  const renamed = xml.replace(
    VM_NAME,
    (_all, open: string, _old: string, close: string) => `${open}${xmlText(name)}${close}`,
  );
  // Read back as the registration will: a name that does not survive the round trip is refused.
  if (parseVmConfig(renamed).name !== name.trim()) {
    throw new ProvisimError('VM_INVALID', {
      message: `The VM name "${name}" could not be written into config.pvs. Choose a plainer name.`,
    });
  }
  await writeFile(path, renamed);
}
