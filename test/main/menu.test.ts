import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type { ProblemReport } from '../../shared/ipc-contract.ts';
import { setupMenu } from '../../electron/main/menu.ts';
import { BrowserWindow, Menu, dialog, resetElectronFake, shell } from './electron-fake.ts';

vi.mock('electron', () => import('./electron-fake.ts'));

const handle = vi.fn(async () => ({ ok: true, value: null }) as const);
let window: BrowserWindow;

function buildMenu(platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  setupMenu({ service: { handle }, window: () => window as never, platform });
  expect(Menu.setApplicationMenu).toHaveBeenCalledWith(
    Menu.buildFromTemplate.mock.results[0]!.value,
  );
  return Menu.buildFromTemplate.mock.calls[0]![0] as MenuItemConstructorOptions[];
}

function fileItems(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  const file = template.find((menu) => menu.label === 'File');
  return file!.submenu as MenuItemConstructorOptions[];
}

function click(item: MenuItemConstructorOptions | undefined): void {
  expect(item?.click).toBeTypeOf('function');
  const handler = item!.click as unknown as () => void;
  handler();
}

beforeEach(() => {
  resetElectronFake();
  handle.mockImplementation(async () => ({ ok: true, value: null }) as const);
  window = new BrowserWindow({});
});

describe('the application menu', () => {
  it('starts a New VM job on CmdOrCtrl+N and brings the window forward', () => {
    const item = fileItems(buildMenu('linux')).find((entry) => entry.accelerator === 'CmdOrCtrl+N');
    expect(item?.label).toMatch(/^New Virtual Machine/);
    window.minimized = true;
    click(item);
    expect(handle).toHaveBeenCalledWith('job:start-new-vm', undefined);
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('checks in with the portal on "Check for policy now"', () => {
    const item = fileItems(buildMenu('win32')).find((e) => e.label === 'Check for policy now');
    click(item);
    expect(handle).toHaveBeenCalledTimes(1);
    expect(handle).toHaveBeenCalledWith('agent:connect', undefined);
    expect(window.focus).toHaveBeenCalled();
  });

  it('keeps the standard Edit, View and Window menus; macOS also gets the app menu', () => {
    const roles = (template: MenuItemConstructorOptions[]) =>
      template.map((m) => m.role ?? m.label);
    expect(roles(buildMenu('linux'))).toEqual([
      'File',
      'editMenu',
      'viewMenu',
      'windowMenu',
      'help',
    ]);
    expect(fileItems(buildMenu('linux')).at(-1)?.role).toBe('quit');
    Menu.buildFromTemplate.mockClear();
    const mac = buildMenu('darwin');
    expect(roles(mac)).toEqual(['appMenu', 'File', 'editMenu', 'viewMenu', 'windowMenu', 'help']);
    expect(fileItems(mac).at(-1)?.role).toBe('close');
  });

  it('survives a service that rejects: the window shows the outcome', async () => {
    handle.mockRejectedValueOnce(new Error('closed'));
    click(fileItems(buildMenu('linux')).find((e) => e.accelerator === 'CmdOrCtrl+N'));
    await Promise.resolve();
    expect(handle).toHaveBeenCalledTimes(1);
  });
});

function aProblemReport(overrides: Partial<ProblemReport>): ProblemReport {
  const id = 'PR-20250101-0A1B2C3D';
  return {
    id,
    path: `reports/${id}.tar.gz`,
    sizeBytes: 48_000,
    sent: false,
    sendError: null,
    ...overrides,
  };
}

describe('Help → Send Problem Report', () => {
  // The fake has no message boxes: each test says what the user answers, in order.
  function answerBoxes(...answers: { response: number; checkboxChecked?: boolean }[]) {
    const showMessageBox = vi.fn(async (..._args: unknown[]) => ({
      checkboxChecked: false,
      ...answers.shift()!,
    }));
    Object.assign(dialog, { showMessageBox });
    return showMessageBox;
  }

  function reportItem(): MenuItemConstructorOptions {
    const help = buildMenu('darwin').find((menu) => menu.role === 'help');
    const items = help!.submenu as MenuItemConstructorOptions[];
    return items.find((item) => item.label === 'Send Problem Report…')!;
  }

  async function clickAndSettle(item: MenuItemConstructorOptions, boxes: number) {
    const showMessageBox = dialog as unknown as { showMessageBox: ReturnType<typeof vi.fn> };
    click(item);
    await vi.waitFor(() => expect(showMessageBox.showMessageBox).toHaveBeenCalledTimes(boxes));
  }

  it('asks first, saying what is collected, and creates nothing on Cancel', async () => {
    const boxes = answerBoxes({ response: 1 });
    await clickAndSettle(reportItem(), 1);
    const [parent, question] = boxes.mock.calls[0] as [unknown, Record<string, unknown>];
    expect(parent).toBe(window);
    expect(question.detail).toMatch(/logs.*license key redacted.*events.*environment.*network/);
    expect(question.checkboxLabel).toBe('Send to my administrator');
    expect(window.focus).toHaveBeenCalled();
    await Promise.resolve();
    expect(handle).not.toHaveBeenCalled();
  });

  it('has the service create and send it when the box is ticked, then shows its ID and file', async () => {
    const report = aProblemReport({ sent: true });
    handle.mockImplementation(async () => ({ ok: true, value: report }) as never);
    const boxes = answerBoxes({ response: 0, checkboxChecked: true }, { response: 1 });
    await clickAndSettle(reportItem(), 2);
    expect(handle).toHaveBeenCalledWith('report:create', { send: true });
    const outcome = boxes.mock.calls[1]![1] as Record<string, string>;
    expect(outcome.message).toBe(`Problem report ${report.id} created.`);
    expect(outcome.detail).toMatch(/^Sent to your administrator/);
    expect(outcome.detail).toContain(report.path);
    await vi.waitFor(() => expect(shell.showItemInFolder).toHaveBeenCalledWith(report.path));
  });

  it('says why it was not sent when the upload failed', async () => {
    const report = aProblemReport({
      sent: false,
      sendError: { code: 'REPORT_TOO_LARGE', message: 'big', retryable: false },
    });
    handle.mockImplementation(async () => ({ ok: true, value: report }) as never);
    const boxes = answerBoxes({ response: 0, checkboxChecked: true }, { response: 0 });
    await clickAndSettle(reportItem(), 2);
    const outcome = boxes.mock.calls[1]![1] as Record<string, string>;
    expect(outcome.type).toBe('warning');
    expect(outcome.detail).toContain(`Not sent. ${ERROR_SENTENCES.REPORT_TOO_LARGE}`);
    expect(shell.showItemInFolder).not.toHaveBeenCalled();
  });
});
