import { vi } from 'vitest';
import type { Invitation } from '../../shared/invitation.ts';
import type {
  ActionResult,
  AppBackend,
  AppStateListener,
} from '../../renderer/model/app-backend.ts';
import type { AppState, SettingsView, VmAction, VmView } from '../../renderer/model/view-types.ts';

/** An invitation as the agent would pass it for the engineering image. */
export function anInvitation(overrides: Partial<Invitation> = {}): Invitation {
  return {
    goldenImageId: 'win11-arm',
    name: 'Windows 11 Engineering',
    description: 'Connect to the VPN before you download.',
    arch: 'arm64',
    sizeBytes: 8_000_000_000,
    requiredBytes: 24_000_000_000,
    freeBytes: 120_000_000_000,
    resumeFromBytes: 0,
    corporateOnly: false,
    ...overrides,
  };
}

/** A registered VM row. */
export function aVm(overrides: Partial<VmView> = {}): VmView {
  return {
    id: 'vm-1',
    name: 'Windows 11 Engineering',
    arch: 'arm64',
    sourceImage: 'Windows 11 Engineering',
    sizeBytes: 21_500_000_000,
    state: 'stopped',
    corporate: true,
    removable: true,
    ...overrides,
  };
}

/** Saved settings pointing at an external portal. */
export function someSettings(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    licenseKey: 'ACME-ENG-0002',
    portalUrl: 'https://portal.example.com',
    arch: 'auto',
    vmDir: 'Parallels',
    checkInIntervalSec: 900,
    proxyUrl: null,
    caFile: null,
    ...overrides,
  };
}

/** The whole state with nothing going on. */
export function anAppState(overrides: Partial<AppState> = {}): AppState {
  return {
    job: { kind: 'idle' },
    vms: [aVm()],
    settings: someSettings(),
    agent: {
      deviceId: '5f0c6f1e-6a53-4c4f-9a43-3e0f3b7d8a11',
      version: '0.1.0',
      arch: 'arm64',
      portalUrl: 'https://portal.example.com',
      embeddedPortal: false,
    },
    activity: [],
    ...overrides,
  };
}

/** A backend whose commands are spies and whose state the test pushes with `emit`. */
export function fakeBackend(initial: AppState = anAppState()) {
  let listener: AppStateListener | undefined;
  const backend = {
    subscribe: vi.fn((next: AppStateListener) => {
      listener = next;
      next(initial);
      return () => {
        listener = undefined;
      };
    }),
    startNewVm: vi.fn(async (): Promise<ActionResult> => ({ ok: true })),
    answerInvitation: vi.fn(async (): Promise<ActionResult> => ({ ok: true })),
    pause: vi.fn(async (): Promise<ActionResult> => ({ ok: true })),
    resume: vi.fn(async (): Promise<ActionResult> => ({ ok: true })),
    cancel: vi.fn(async (): Promise<ActionResult> => ({ ok: true })),
    dismiss: vi.fn(async (): Promise<ActionResult> => ({ ok: true })),
    createVm: vi.fn(async (): Promise<ActionResult> => ({ ok: true })),
    vmAction: vi.fn(
      async (_vmId: string, _action: VmAction): Promise<ActionResult<{ message?: string }>> => ({
        ok: true,
      }),
    ),
    saveSettings: vi.fn(async (_settings: SettingsView): Promise<ActionResult> => ({ ok: true })),
    connect: vi.fn(async (): Promise<ActionResult<{ policyChanged: boolean }>> => ({
      ok: true,
      policyChanged: false,
    })),
  } satisfies AppBackend;
  return {
    backend,
    emit: (state: AppState) => listener?.(state),
    isSubscribed: () => listener !== undefined,
  };
}
