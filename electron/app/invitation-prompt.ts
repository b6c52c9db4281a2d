import type { Invitation, InvitationAnswer } from '../../shared/invitation.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { notNow } from './ipc-errors.ts';

/**
 * Refuses an answer the invitation on screen does not offer, leaving it on screen for another:
 * Replace and Keep both answer an update only, and Keep both only where policy allows two VMs.
 */
export function checkAnswer(invitation: Invitation, answer: InvitationAnswer): void {
  const { update } = invitation;
  if ((answer === 'replace' || answer === 'keep-both') && !update) {
    throw new ProvisimError('INVALID_PAYLOAD', {
      message: `The invitation on screen is not an update, so it cannot be answered "${answer}": answer Download or Not now.`,
    });
  }
  if (answer === 'keep-both' && update && !update.keepBothAllowed) {
    throw new ProvisimError('KEEP_BOTH_BLOCKED');
  }
}

/** The invitation on screen: the job waits on ask() until answer() or its signal fires. */
export class InvitationPrompt {
  #waiting: { invitation: Invitation; reply: (answer: InvitationAnswer) => void } | undefined;

  /** Whether an invitation waits for an answer. */
  get waiting(): boolean {
    return this.#waiting !== undefined;
  }

  /** Waits for the user's answer; rejects with CANCELLED when `signal` fires first. */
  ask(invitation: Invitation, signal: AbortSignal): Promise<InvitationAnswer> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#waiting = undefined;
        reject(new ProvisimError('CANCELLED'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const reply = (answer: InvitationAnswer) => {
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
      };
      this.#waiting = { invitation, reply };
    });
  }

  /** Gives the answer to the waiting job; JOB_STATE_CONFLICT when none waits, see checkAnswer(). */
  answer(answer: InvitationAnswer): void {
    const waiting = this.#waiting;
    if (!waiting) throw notNow('No invitation is waiting for an answer.');
    checkAnswer(waiting.invitation, answer);
    this.#waiting = undefined;
    waiting.reply(answer);
  }
}
