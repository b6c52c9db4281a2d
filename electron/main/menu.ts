import {
  Menu,
  dialog,
  shell,
  type BrowserWindow,
  type MenuItemConstructorOptions,
  type MessageBoxOptions,
} from 'electron';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import type { InvokeChannel, ProblemReport, Result } from '../../shared/ipc-contract.ts';
import type { ServicePort } from './ipc.ts';
import { focusWindow } from './window.ts';

/** What the menu needs: the service to ask and the window to bring forward. */
export interface MenuTarget {
  readonly service: Pick<ServicePort, 'handle'>;
  readonly window: () => BrowserWindow | undefined;
  /** `process.platform`; macOS gets the app menu. */
  readonly platform: NodeJS.Platform;
}

/** What Help → Send Problem Report asks first; the checkbox says whether to send it. */
export const REPORT_QUESTION: MessageBoxOptions = {
  type: 'question',
  title: 'Send Problem Report',
  message: 'Create a problem report?',
  detail:
    'It collects the logs, the settings (with the license key redacted), the agent’s events, this Mac’s environment and network checks into one file on this Mac.',
  checkboxLabel: 'Send to my administrator',
  checkboxChecked: false,
  buttons: ['Create Report', 'Cancel'],
  defaultId: 0,
  cancelId: 1,
};

/** What the report's answer says: its ID and file, whether it was sent, or why nothing was made. */
export function reportOutcome(result: Result<ProblemReport>): MessageBoxOptions {
  if (!result.ok) {
    return {
      type: 'error',
      title: 'Send Problem Report',
      message: 'No problem report was created.',
      detail: ERROR_SENTENCES[result.error.code],
      buttons: ['OK'],
    };
  }
  const { id, path, sent, sendError } = result.value;
  const delivery = sent
    ? 'Sent to your administrator. Tell them the report ID so that they find yours.'
    : sendError
      ? `Not sent. ${ERROR_SENTENCES[sendError.code]}`
      : 'Not sent: the report stays on this Mac.';
  return {
    type: sendError ? 'warning' : 'info',
    title: 'Send Problem Report',
    message: `Problem report ${id} created.`,
    detail: `${delivery}\n\nFile: ${path}`,
    buttons: ['OK', 'Show in Folder'],
    defaultId: 0,
  };
}

function ask(window: BrowserWindow | undefined, options: MessageBoxOptions) {
  // A sheet on the window when there is one, as a Mac app asks.
  return window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
}

/** Help → Send Problem Report: asks, has the service write (and send) it, then says what came of it. */
export async function sendProblemReport(target: MenuTarget): Promise<void> {
  const window = target.window();
  focusWindow(window);
  const answer = await ask(window, REPORT_QUESTION);
  if (answer.response !== REPORT_QUESTION.cancelId) {
    const result = (await target.service.handle('report:create', {
      send: answer.checkboxChecked,
    })) as Result<ProblemReport>;
    const shown = await ask(window, reportOutcome(result));
    if (result.ok && shown.response === 1) shell.showItemInFolder(result.value.path);
  }
}

/** The menu template: File (New Virtual Machine, Check for policy now), Help, and the standard menus. */
export function menuTemplate(target: MenuTarget): MenuItemConstructorOptions[] {
  // The window shows the outcome (job phases, the agent's last check-in), so it comes forward
  // first; the answer itself is already in the state pushed to the window.
  const run = (channel: InvokeChannel) => () => {
    focusWindow(target.window());
    void target.service.handle(channel, undefined).catch(() => undefined);
  };
  const isMac = target.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      {
        id: 'new-vm',
        label: 'New Virtual Machine…',
        accelerator: 'CmdOrCtrl+N',
        click: run('job:start-new-vm'),
      },
      { type: 'separator' },
      { id: 'check-policy', label: 'Check for policy now', click: run('agent:connect') },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      {
        id: 'send-problem-report',
        label: 'Send Problem Report…',
        click: () => void sendProblemReport(target).catch(() => undefined),
      },
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    file,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    help,
  ];
  return isMac ? [{ role: 'appMenu' }, ...template] : template;
}

/** Builds the menu and makes it the application menu. */
export function setupMenu(target: MenuTarget): Menu {
  const menu = Menu.buildFromTemplate(menuTemplate(target));
  Menu.setApplicationMenu(menu);
  return menu;
}
