import { describe, expect, it } from 'vitest';
import type { VmSource } from '../../shared/agent-store-schema.ts';
import { vmOs } from '../../renderer/views/vm-os.tsx';

function golden(goldenImageName: string): VmSource {
  return {
    kind: 'golden-image',
    goldenImageId: 'image',
    goldenImageName,
    url: 'https://images.example.com/image.pvmp',
    sha256: 'a'.repeat(64),
    policyRevision: 1,
  };
}

describe('vmOs', () => {
  it('takes the system chosen in the Installation Assistant as it is', () => {
    expect(vmOs({ name: 'Box', source: { kind: 'assistant', os: 'fedora-40' } })).toEqual({
      family: 'linux',
      label: 'Fedora 40',
      guessed: false,
    });
    expect(vmOs({ name: 'Box', source: { kind: 'assistant', os: 'macos' } }).family).toBe('macos');
  });

  it("works a golden image's system out of its name, then the VM's, and says it guessed", () => {
    expect(vmOs({ name: 'Dev', source: golden('ACME Windows 11 for Developers') })).toEqual({
      family: 'windows',
      label: 'Windows 11',
      guessed: true,
    });
    expect(vmOs({ name: 'ACME Dev Win11 ARM', source: golden('Engineering image') })).toEqual({
      family: 'windows',
      label: 'Windows 11',
      guessed: true,
    });
    expect(vmOs({ name: 'x', source: golden('Ubuntu 24.04 build box') }).label).toBe(
      'Ubuntu 24.04',
    );
    expect(vmOs({ name: 'x', source: golden('macOS Sequoia for QA') }).family).toBe('macos');
    expect(vmOs({ name: 'Twin desk', source: golden('Darwin tools') })).toEqual({
      family: 'generic',
      label: 'Other',
      guessed: true,
    });
  });
});
