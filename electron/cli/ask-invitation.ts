import { createInterface } from 'node:readline/promises';
import prettyBytes from 'pretty-bytes';
import type { Invitation, InvitationAnswer, UpdateOffer } from '../../shared/invitation.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { terminalLine, terminalText } from '../../shared/terminal-text.ts';

/** Shows the invitation on the terminal and asks whether to download. */
export async function askInvitation(invitation: Invitation): Promise<InvitationAnswer> {
  if (invitation.update) return askUpdate(invitation, invitation.update);
  const lines = [
    '',
    // The name and description are the portal's: shown, never obeyed, by the terminal.
    `Your organisation offers a corporate VM: ${terminalLine(invitation.name)}`,
    ...(invitation.description
      ? [`  ${terminalText(invitation.description).replaceAll('\n', '\n  ')}`]
      : []),
    `  Size: ${invitation.sizeBytes === undefined ? 'unknown' : prettyBytes(invitation.sizeBytes)}` +
      (invitation.requiredBytes === undefined
        ? ''
        : `, needs ${prettyBytes(invitation.requiredBytes)} of disk space`) +
      (invitation.freeBytes === undefined ? '' : ` (${prettyBytes(invitation.freeBytes)} free)`),
    ...(invitation.resumeFromBytes > 0
      ? [`  An earlier download stopped at ${prettyBytes(invitation.resumeFromBytes)}; it resumes.`]
      : []),
    invitation.corporateOnly
      ? '  Your organisation allows corporate VMs only.'
      : '  Not now opens the Installation Assistant (provisim create).',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  const answer = await ask('Download it now? [Y/n] ');
  return answer === '' || answer === 'y' || answer === 'yes' ? 'accept' : 'decline';
}

async function askUpdate(invitation: Invitation, update: UpdateOffer): Promise<InvitationAnswer> {
  const size = (n: number | undefined) => (n === undefined ? 'unknown' : prettyBytes(n));
  const lines = [
    '',
    `An update of your corporate VM is available: ${terminalLine(invitation.name)}`,
    `  It replaces the VM "${terminalLine(update.vm.name)}".`,
    ...(invitation.description
      ? [`  ${terminalText(invitation.description).replaceAll('\n', '\n  ')}`]
      : []),
    `  Size: ${size(update.fromSizeBytes)} now, ${size(invitation.sizeBytes)} new.`,
    update.replaceRemovesPrevious
      ? '  Replace removes the previous VM once the new one is registered.'
      : '  Your organisation prevents removing corporate VMs: Replace keeps the previous VM too.',
    ...(update.keepBothAllowed
      ? []
      : ['  Your organisation allows one corporate VM per user, so both cannot be kept.']),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  const question = update.keepBothAllowed
    ? '[R]eplace, [k]eep both or [n]ot now? '
    : '[R]eplace or [n]ot now? ';
  const answer = await ask(question);
  if (answer === '' || answer.startsWith('r')) return 'replace';
  if (update.keepBothAllowed && answer.startsWith('k')) return 'keep-both';
  return 'decline';
}

// One line from the terminal, trimmed and lower-cased.
async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim().toLowerCase();
  } catch (error) {
    // The terminal is in raw mode while asking, so Ctrl-C (or Ctrl-D) reaches readline, not SIGINT.
    throw new ProvisimError('CANCELLED', {
      message: 'The invitation was left unanswered.',
      cause: error,
    });
  } finally {
    rl.close();
  }
}
