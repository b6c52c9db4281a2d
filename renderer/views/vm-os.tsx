import type { VmRecord } from '../../shared/agent-store-schema.ts';

/** The operating system families that have an icon of their own. */
export type OsFamily = 'windows' | 'macos' | 'ubuntu' | 'linux' | 'generic';

/** A VM's operating system as the list shows it. */
export interface VmOs {
  readonly family: OsFamily;
  readonly label: string;
  /** Worked out from the golden image's or the VM's name: the portal does not state it. */
  readonly guessed: boolean;
}

// new URL(…, import.meta.url) is how Vite takes an asset into the build: a file of the page's own
// origin, or a data: URL when small, both of which the page's img-src allows.
const ICONS: Readonly<Record<OsFamily, string>> = {
  windows: new URL('../../assets/os/windows.svg', import.meta.url).href,
  macos: new URL('../../assets/os/macos.svg', import.meta.url).href,
  ubuntu: new URL('../../assets/os/ubuntu.svg', import.meta.url).href,
  linux: new URL('../../assets/os/linux.svg', import.meta.url).href,
  generic: new URL('../../assets/os/generic.svg', import.meta.url).href,
};

// The Installation Assistant's systems by id, as it offers them.
const ASSISTANT_OSES: Readonly<Record<string, Omit<VmOs, 'guessed'>>> = {
  'windows-11': { family: 'windows', label: 'Windows 11' },
  'ubuntu-24.04': { family: 'ubuntu', label: 'Ubuntu 24.04 LTS' },
  'debian-12': { family: 'linux', label: 'Debian 12' },
  'fedora-40': { family: 'linux', label: 'Fedora 40' },
  macos: { family: 'macos', label: 'macOS' },
};

// Words a name uses for a system, most specific first; the label may use the match's version.
const NAMED: readonly {
  readonly pattern: RegExp;
  readonly family: OsFamily;
  readonly label: (match: RegExpExecArray) => string;
}[] = [
  {
    pattern: /\bwindows[\s-]?server[\s-]?(\d{4})/i,
    family: 'windows',
    label: (m) => `Windows Server ${m[1]}`,
  },
  {
    pattern: /\bwin(?:dows)?[\s-]?(1[01]|[78])(?!\d)/i,
    family: 'windows',
    label: (m) => `Windows ${m[1]}`,
  },
  { pattern: /\bwin(?:dows)?\b/i, family: 'windows', label: () => 'Windows' },
  {
    pattern: /\bmac\s?os\b|\bos\s?x\b|\b(?:sonoma|sequoia|ventura|monterey|tahoe)\b/i,
    family: 'macos',
    label: () => 'macOS',
  },
  {
    pattern: /\bubuntu(?:[\s-]?(\d\d\.\d\d))?/i,
    family: 'ubuntu',
    label: (m) => (m[1] ? `Ubuntu ${m[1]}` : 'Ubuntu'),
  },
  {
    pattern: /\bdebian(?:[\s-]?(\d+))?/i,
    family: 'linux',
    label: (m) => (m[1] ? `Debian ${m[1]}` : 'Debian'),
  },
  {
    pattern: /\bfedora(?:[\s-]?(\d+))?/i,
    family: 'linux',
    label: (m) => (m[1] ? `Fedora ${m[1]}` : 'Fedora'),
  },
  {
    pattern: /\b(?:linux|rhel|red\s?hat|centos|rocky|alma|suse|mint)\b/i,
    family: 'linux',
    label: () => 'Linux',
  },
];

function fromName(text: string): Omit<VmOs, 'guessed'> | undefined {
  for (const { pattern, family, label } of NAMED) {
    const match = pattern.exec(text);
    if (match) return { family, label: label(match) };
  }
  return undefined;
}

/**
 * The VM's operating system: the one chosen in the Installation Assistant, or, for a golden image
 * (whose policy does not name its system), the one its image's name or the VM's name suggests.
 */
export function vmOs(vm: Pick<VmRecord, 'name' | 'source'>): VmOs {
  const { source } = vm;
  if (source.kind === 'assistant') {
    const known = ASSISTANT_OSES[source.os] ?? fromName(source.os.replaceAll('-', ' '));
    return { ...(known ?? { family: 'generic', label: source.os }), guessed: false };
  }
  const guessed = fromName(source.goldenImageName) ?? fromName(vm.name);
  return guessed
    ? { ...guessed, guessed: true }
    : { family: 'generic', label: 'Other', guessed: true };
}

/** The OS icon: decorative, since the system's name is always written beside it. */
export function VmOsIcon({ os, size }: { readonly os: VmOs; readonly size: 'small' | 'large' }) {
  return (
    <img
      className={`os-icon os-icon-${size}`}
      src={ICONS[os.family]}
      alt=""
      data-os={os.family}
      width={size === 'small' ? 28 : 48}
      height={size === 'small' ? 28 : 48}
    />
  );
}

/** The icon the empty list shows. */
export const EMPTY_LIST_ICON = ICONS.generic;
