import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseVmConfig,
  readVmConfig,
  renderVmConfig,
  type VmConfig,
} from '../../electron/archive/vm-config.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const UUID = '0b0e8c1a-1111-4222-8333-444455556666';

function configXml(inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ParallelsVirtualMachine>${inner}</ParallelsVirtualMachine>`;
}

const IDENTITY = `<Identification><VmUuid>{${UUID}}</VmUuid><VmName>Win 11</VmName></Identification>`;
const CPU = '<Hardware><Cpu><Architecture>arm64</Architecture></Cpu></Hardware>';

describe('vm config', () => {
  const tempDir = useTempDirs();

  it('round-trips every field through renderVmConfig and readVmConfig', async () => {
    const dir = await tempDir();
    const config: VmConfig = {
      uuid: UUID,
      name: 'Dev & <QA> "VM"',
      arch: 'x86_64',
      os: 'windows-11',
      cpus: 4,
      memoryMb: 8192,
    };
    await writeFile(join(dir, 'config.pvs'), renderVmConfig(config));
    expect(await readVmConfig(dir)).toEqual(config);
  });

  it('writes the uuid in braces, as Parallels does, and leaves optional fields out', () => {
    const xml = renderVmConfig({ uuid: UUID, name: 'Bare', arch: 'arm64' });
    expect(xml).toContain(`<VmUuid>{${UUID}}</VmUuid>`);
    expect(xml).toContain('<Architecture>arm64</Architecture>');
    expect(xml).not.toContain('<Memory>');
    expect(parseVmConfig(xml)).toEqual({ uuid: UUID, name: 'Bare', arch: 'arm64' });
  });

  it('accepts a uuid without braces and keeps its case as written', () => {
    const upper = UUID.toUpperCase();
    const xml = configXml(
      `<Identification><VmUuid>${upper}</VmUuid><VmName>x</VmName></Identification>${CPU}`,
    );
    expect(parseVmConfig(xml).uuid).toBe(upper);
  });

  it('calls a missing config.pvs VM_INVALID', async () => {
    await expect(readVmConfig(await tempDir())).rejects.toMatchObject({
      code: 'VM_INVALID',
      message: expect.stringContaining('no config.pvs'),
    });
  });

  it('calls a config.pvs that is a folder VM_INVALID', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'config.pvs'));
    await expect(readVmConfig(dir)).rejects.toMatchObject({
      code: 'VM_INVALID',
      message: expect.stringContaining('not a file'),
    });
  });

  it.each([
    ['malformed XML', '<ParallelsVirtualMachine><Identification>', 'malformed'],
    ['another root element', '<?xml version="1.0"?><VirtualBox/>', 'root element'],
    ['no uuid', configXml(`<Identification><VmName>x</VmName></Identification>${CPU}`), 'VmUuid'],
    [
      'a uuid that is not one',
      configXml(`<Identification><VmUuid>42</VmUuid><VmName>x</VmName></Identification>${CPU}`),
      'not a uuid',
    ],
    [
      'no name',
      configXml(
        `<Identification><VmUuid>${UUID}</VmUuid><VmName> </VmName></Identification>${CPU}`,
      ),
      'VmName',
    ],
    ['no architecture', configXml(IDENTITY), 'Architecture'],
    [
      'an unknown architecture',
      configXml(`${IDENTITY}<Hardware><Cpu><Architecture>ppc</Architecture></Cpu></Hardware>`),
      '"ppc"',
    ],
    [
      'a bad CPU count',
      configXml(
        `${IDENTITY}<Hardware><Cpu><Number>two</Number><Architecture>arm64</Architecture></Cpu></Hardware>`,
      ),
      'Number',
    ],
    [
      'a zero memory size',
      configXml(
        `${IDENTITY}${CPU.replace('</Hardware>', '<Memory><RAM>0</RAM></Memory></Hardware>')}`,
      ),
      'RAM',
    ],
    [
      'a repeated name',
      configXml(
        `<Identification><VmUuid>${UUID}</VmUuid><VmName>a</VmName><VmName>b</VmName></Identification>${CPU}`,
      ),
      'more than once',
    ],
    [
      'a name holding elements',
      configXml(
        `<Identification><VmUuid>${UUID}</VmUuid><VmName><b>x</b></VmName></Identification>${CPU}`,
      ),
      'must hold text',
    ],
  ])('calls a config with %s VM_INVALID, naming the problem', (_case, xml, problem) => {
    expect(() => parseVmConfig(xml)).toThrow(
      expect.objectContaining({ code: 'VM_INVALID', message: expect.stringContaining(problem) }),
    );
  });

  it('refuses a config.pvs larger than 1 MiB without parsing it', async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, 'config.pvs'),
      configXml(`${IDENTITY}${CPU}<Pad>${'x'.repeat(2 ** 20)}</Pad>`),
    );
    await expect(readVmConfig(dir)).rejects.toMatchObject({
      code: 'VM_INVALID',
      message: expect.stringContaining('larger'),
    });
  });
});
