import type { Invitation, InvitationAnswer } from '../../shared/invitation.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { notNow } from './ipc-errors.ts';

/** The invitation on screen: the job waits on ask() until answer() or its signal fires. */
export class InvitationPrompt {
  #reply: ((answer: InvitationAnswer) => void) | undefined;

  /** Whether an invitation waits for an answer. */
  get waiting(): boolean {
    return this.#reply !== undefined;
  }

  /** Waits for the user's answer; rejects with CANCELLED when `signal` fires first. */
  ask(_invitation: Invitation, signal: AbortSignal): Promise<InvitationAnswer> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#reply = undefined;
        reject(new ProvisimError('CANCELLED'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#reply = (answer) => {
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
      };
    });
  }

  /** Gives the answer to the waiting job; JOB_STATE_CONFLICT when none waits. */
  answer(answer: InvitationAnswer): void {
    const reply = this.#reply;
    if (!reply) throw notNow('No invitation is waiting for an answer.');
    this.#reply = undefined;
    reply(answer);
  }
}
