import { createInterface } from 'node:readline/promises';
import prettyBytes from 'pretty-bytes';
import type { Invitation, InvitationAnswer } from '../../shared/invitation.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { terminalLine, terminalText } from '../../shared/terminal-text.ts';

/** Shows the invitation on the terminal and asks whether to download. */
export async function askInvitation(invitation: Invitation): Promise<InvitationAnswer> {
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
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question('Download it now? [Y/n] ')).trim().toLowerCase();
    return answer === '' || answer === 'y' || answer === 'yes' ? 'accept' : 'decline';
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
