import type { AnnouncedPhase, ImageRef, JobPhase } from '../../shared/ipc-contract.ts';
import type { Invitation, InvitationAnswer } from '../../shared/invitation.ts';
import type { AgentEvent } from '../../shared/protocol.ts';
import type { DownloadProgress } from '../agent/download/image-download.ts';
import type { AgentConfig } from '../agent/agent-config.ts';
import type { DownloadTuning } from '../agent/golden-image-install.ts';
import type { HypervisorBackend } from '../agent/hypervisor/hypervisor-backend.ts';
import { readPendingReplace } from '../agent/pending-replace.ts';
import { runNewVmAction } from '../agent/provisioning-job.ts';
import { asShownInActivity } from './activity-log.ts';
import { InvitationPrompt } from './invitation-prompt.ts';
import { busy, notNow, toIpcError } from './ipc-errors.ts';
import { phaseForResult, type StopReason } from './job-phases.ts';
import { removePartials } from './partial-downloads.ts';

// The update an answer was given to: the image, and the VM it would replace or keep.
function updateKey(invitation: Invitation): string {
  return `${invitation.goldenImageId}\n${invitation.update?.vm.uuid ?? ''}`;
}

/** Options of a JobRunner. */
export interface JobRunnerOptions {
  readonly home: string;
  /** The config of a new job; throws NOT_CONFIGURED when there is none. */
  readonly config: () => Promise<AgentConfig>;
  readonly tuning?: DownloadTuning;
  /** The backend in use (resolved when the settings changed); rejects when it cannot be had. */
  readonly backend?: () => Promise<HypervisorBackend>;
  /** Whether the app is using a VM (Prepare for Transfer), so that an update keeps it. */
  readonly isVmBusy?: (uuid: string) => boolean;
  /** Told on every phase change. */
  readonly onPhase: () => void;
  readonly onEvent: (event: AgentEvent) => void;
  readonly onProgress: (progress: DownloadProgress) => void;
}

/** Runs one job at a time (New VM or Installation Assistant) and keeps its phase. */
export class JobRunner {
  readonly #options: JobRunnerOptions;
  readonly #prompt = new InvitationPrompt();
  #phase: JobPhase = { phase: 'idle' };
  #running: Promise<void> | undefined;
  #controller: AbortController | undefined;
  #stopped: StopReason | undefined;
  #image: ImageRef | undefined;
  readonly #updateAnswers = new Map<string, InvitationAnswer>();

  constructor(options: JobRunnerOptions) {
    this.#options = options;
  }

  /** The current phase. */
  get phase(): JobPhase {
    return this.#phase;
  }

  /** Whether a job runs. */
  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** Runs a job unless one runs (AGENT_BUSY): shows `phase`, then the phase the job ends in. */
  exclusive(phase: JobPhase, job: (signal: AbortSignal) => Promise<JobPhase>): Promise<void> {
    if (this.#running) throw busy('A job is already running.');
    const controller = new AbortController();
    this.#controller = controller;
    this.#stopped = undefined;
    const running = Promise.resolve()
      .then(() => job(controller.signal))
      .catch((error: unknown): JobPhase => ({ phase: 'failed', error: toIpcError(error) }))
      .then((end) => {
        // Not busy any more before the end is told, so its state offers what comes next.
        this.#running = undefined;
        this.#controller = undefined;
        this.#setPhase(end);
      });
    this.#running = running;
    this.#setPhase(phase);
    return running;
  }

  /** Starts a New VM action; `resuming` accepts an invitation for the partial already held. */
  async startNewVm(options: { force?: boolean; resuming?: boolean } = {}): Promise<void> {
    if (this.#running) throw busy('A job is already running.');
    const config = await this.#options.config();
    void this.exclusive({ phase: 'checking-policy' }, async (signal) => {
      this.#image = undefined;
      const backend = await this.#options.backend?.();
      const result = await runNewVmAction({
        home: this.#options.home,
        config,
        force: options.force,
        signal,
        lockHeld: true,
        tuning: this.#options.tuning,
        backend,
        isVmBusy: this.#options.isVmBusy,
        // Accepted before; a changed policy has removed the partial, and then it asks again.
        decide: async (invitation) => {
          const earlier = options.resuming ? await this.#earlierAnswer(invitation) : undefined;
          if (earlier) return earlier;
          const answer = this.#prompt.ask(invitation, signal);
          this.#setPhase({ phase: 'invited', invitation });
          return answer.then((given) => this.#remember(invitation, given));
        },
        // Read when each event comes: a pause is known only once the user pressed it.
        onEvent: (event) => this.#options.onEvent(asShownInActivity(event, this.#stopped)),
        onPhase: (phase) => this.#onPhase(phase),
        onProgress: this.#options.onProgress,
      });
      if (this.#stopped === 'cancel' && result.outcome === 'failed') {
        await removePartials(this.#options.home);
      }
      return phaseForResult(result, this.#stopped, this.#image);
    });
  }

  /**
   * Answers the invitation on screen. "Already on this Mac" answers an invitation accepted
   * before: declining it there opens the Installation Assistant, as declining an invitation does.
   */
  answer(answer: InvitationAnswer): void {
    const phase = this.#phase;
    if (!this.#running && phase.phase === 'registered' && phase.alreadyRegistered) {
      if (answer !== 'decline') throw notNow('The corporate VM is already on this Mac.');
      this.#setPhase({ phase: 'assistant', reason: 'declined' });
      return;
    }
    this.#prompt.answer(answer);
  }

  /** Pauses the download under way; its partial file is kept for job:resume. */
  pause(): void {
    if (this.#phase.phase !== 'downloading') {
      throw notNow('Only a download under way can be paused, and none is.');
    }
    this.#stop('pause');
  }

  /** Cancels the job under way and drops its partial download, or drops a kept partial. */
  async cancel(hasPartial: boolean): Promise<void> {
    if (this.#running) {
      this.#stop('cancel');
      return this.#running;
    }
    if (!hasPartial) throw notNow('There is no job or paused download to cancel.');
    await removePartials(this.#options.home);
    this.#setPhase({ phase: 'cancelled' });
  }

  /** Closes a finished, failed or cancelled job: back to idle. */
  dismiss(): void {
    if (this.#running) throw busy('A job is running: cancel it first.');
    this.#setPhase({ phase: 'idle' });
  }

  /** Stops a job under way (its partial is kept) and waits for it; for shutting down. */
  async close(): Promise<void> {
    if (this.#running) this.#stop('close');
    await this.#running;
  }

  // An update's answer (Replace or Keep both) is kept for this session: resuming its paused
  // download must do what was chosen. After a restart a Replace is still known from the note the
  // job wrote before downloading; Keep both is asked again.
  async #earlierAnswer(invitation: Invitation): Promise<InvitationAnswer | undefined> {
    const { update } = invitation;
    if (invitation.resumeFromBytes === 0) return undefined;
    if (!update) return 'accept';
    const given = this.#updateAnswers.get(updateKey(invitation));
    if (given) return given;
    const noted = await readPendingReplace(this.#options.home);
    return noted?.previous.uuid === update.vm.uuid ? 'replace' : undefined;
  }

  #remember(invitation: Invitation, answer: InvitationAnswer): InvitationAnswer {
    if (invitation.update && answer !== 'decline') {
      this.#updateAnswers.set(updateKey(invitation), answer);
    }
    return answer;
  }

  #stop(reason: StopReason): void {
    this.#stopped = reason;
    this.#controller?.abort();
  }

  #onPhase(phase: AnnouncedPhase): void {
    // A pause ends the job: the image it stopped in is what the paused phase names.
    if ('image' in phase) this.#image = phase.image;
    this.#setPhase(phase);
  }

  #setPhase(phase: JobPhase): void {
    this.#phase = phase;
    this.#options.onPhase();
  }
}
