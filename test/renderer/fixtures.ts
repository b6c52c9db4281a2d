import { vi } from 'vitest';
import type { Invitation } from '../../shared/invitation.ts';
import type { ProblemReport, Result, Settings, VmView } from '../../shared/ipc-contract.ts';
import type { AppBackend, ControlCenterState, VmAction } from '../../renderer/model/app-backend.ts';
import { aContractState, aContractVm } from './contract-fixtures.ts';

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
  return aContractVm({
    name: 'Windows 11 Engineering',
    source: {
      kind: 'golden-image',
      goldenImageId: 'win11-arm',
      goldenImageName: 'Windows 11 Engineering',
      url: 'https://images.example.com/win11.pvmp',
      sha256: 'a'.repeat(64),
      policyRevision: 1,
    },
    sizeOnDiskBytes: 21_500_000_000,
    removable: true,
    ...overrides,
  });
}

/** Saved settings pointing at an external portal. */
export function someSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    licenseKey: 'ACME-ENG-0002',
    portalUrl: 'https://portal.example.com',
    arch: 'auto',
    vmDir: 'Parallels',
    checkInIntervalSec: 900,
    proxyUrl: null,
    caFile: null,
    backend: 'auto',
    ...overrides,
  };
}

/** The whole state with nothing going on. */
export function anAppState(overrides: Partial<ControlCenterState> = {}): ControlCenterState {
  const contract = aContractState();
  return {
    ...contract,
    vms: [aVm()],
    settings: someSettings(),
    agent: {
      ...contract.agent,
      deviceId: '5f0c6f1e-6a53-4c4f-9a43-3e0f3b7d8a11',
      portalUrl: 'https://portal.example.com',
      embeddedPortal: false,
    },
    progress: undefined,
    activity: [],
    assistant: undefined,
    ...overrides,
  };
}

const done = async (): Promise<Result<null>> => ({ ok: true, value: null });

/** A problem report as the agent answers `report:create`: written, and sent when asked. */
export function aProblemReport(overrides: Partial<ProblemReport> = {}): ProblemReport {
  return {
    id: 'PR-20250101-0A1B2C3D',
    path: 'Provisim/reports/PR-20250101-0A1B2C3D.tar.gz',
    sizeBytes: 48_000,
    sent: true,
    sendError: null,
    ...overrides,
  };
}

/** A backend whose commands are spies and whose state the test pushes with `emit`. */
export function fakeBackend(initial: ControlCenterState = anAppState()) {
  let listener: ((state: ControlCenterState) => void) | undefined;
  const backend = {
    subscribe: vi.fn((next: (state: ControlCenterState) => void) => {
      listener = next;
      next(initial);
      return () => {
        listener = undefined;
      };
    }),
    startNewVm: vi.fn(done),
    answerInvitation: vi.fn(done),
    pause: vi.fn(done),
    resume: vi.fn(done),
    cancel: vi.fn(done),
    dismiss: vi.fn(done),
    createVm: vi.fn(async (): ReturnType<AppBackend['createVm']> => ({ ok: true, value: aVm() })),
    vmAction: vi.fn(async (_vmId: string, _action: VmAction): Promise<Result<string | null>> => ({
      ok: true,
      value: null,
    })),
    saveSettings: vi.fn(async (settings: Settings): Promise<Result<Settings>> => ({
      ok: true,
      value: settings,
    })),
    connect: vi.fn(async (): ReturnType<AppBackend['connect']> => ({
      ok: true,
      value: { agent: anAppState().agent, policyChanged: false },
    })),
    createReport: vi.fn(async (send: boolean): Promise<Result<ProblemReport>> => ({
      ok: true,
      value: aProblemReport({ sent: send }),
    })),
  } satisfies AppBackend;
  return {
    backend,
    emit: (state: ControlCenterState) => listener?.(state),
    isSubscribed: () => listener !== undefined,
  };
}
