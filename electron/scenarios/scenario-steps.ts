import type { Arch } from '../../shared/protocol.ts';
import type { RunningPortal } from '../portal/server.ts';
import { AgentRunProcess, type AgentRunOptions } from './agent-run-process.ts';
import type { Step } from './scenario-schema.ts';

/** What the steps of one scenario act on. */
export interface StepContext {
  readonly portal: RunningPortal;
  /** Everything `provisim run` needs but the portal URL. */
  readonly agent: Omit<AgentRunOptions, 'portalUrl'>;
  readonly arch: Arch;
  /** Archive size of the image the agent downloads, for points given in percent. */
  readonly imageBytes: number;
  /** Every agent process started, in order. */
  readonly runs: AgentRunProcess[];
}

type StopStep = Extract<Step, { do: 'cancel-at' | 'kill-at' }>;

const STOP_FAULT_ID = 'scenario-stop-point';

/** Runs the steps in order; an agent still running at the end is waited for. */
export async function runSteps(steps: readonly Step[], context: StepContext): Promise<void> {
  for (const [index, step] of steps.entries()) {
    try {
      await runStep(step, steps.slice(index + 1), context);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`steps[${index}] (${step.do}): ${reason}`, { cause: error });
    }
  }
  await current(context)?.exited;
}

async function runStep(step: Step, later: readonly Step[], context: StepContext): Promise<void> {
  switch (step.do) {
    case 'run':
    case 'restart':
      return startAgent(later, context);
    case 'wait-for-event': {
      const agent = running(context);
      return agent.until(
        () => agent.events.includes(step.event),
        `the agent ended without the event "${step.event}"`,
      );
    }
    case 'cancel-at':
    case 'kill-at':
      return stopAgent(step, context);
    case 'change-portal':
      return changePortal(step, context);
  }
}

async function startAgent(later: readonly Step[], context: StepContext): Promise<void> {
  await current(context)?.exited;
  const nextRun = later.findIndex((s) => s.do === 'run' || s.do === 'restart');
  const next = (nextRun === -1 ? later : later.slice(0, nextRun)).find(isStop);
  // A byte point (a file offset) is made exact by stalling the image there before the agent starts, since a
  // small image on loopback is done before any later step could react.
  const at = next ? stopBytes(next, context) : undefined;
  if (at !== undefined) {
    context.portal.faults.add({
      type: 'stall',
      id: STOP_FAULT_ID,
      atBytes: at,
      inFile: true,
      scope: { paths: ['/images/*'], methods: ['GET'] },
    });
  }
  context.runs.push(new AgentRunProcess({ ...context.agent, portalUrl: context.portal.url }));
}

async function stopAgent(step: StopStep, context: StepContext): Promise<void> {
  const agent = running(context);
  const at = stopBytes(step, context);
  if (at !== undefined) {
    await agent.until(() => agent.transferred >= at, `the agent ended before byte ${at}`);
  } else {
    const event = step.do === 'kill-at' ? step.event : undefined;
    await agent.until(
      () => event !== undefined && agent.events.includes(event),
      `the agent ended without the event "${event}"`,
    );
  }
  agent.signal(step.do === 'kill-at' ? 'SIGKILL' : 'SIGINT');
  await agent.exited;
  context.portal.faults.remove(STOP_FAULT_ID);
}

function changePortal(step: Extract<Step, { do: 'change-portal' }>, context: StepContext): void {
  const { portal } = context;
  if (step.revokeLicense !== undefined) {
    const key = step.revokeLicense === true ? context.agent.licenseKey : step.revokeLicense;
    if (!portal.org.licenseKeys.some((k) => k.key === key)) {
      throw new Error(`the organisation has no license key "${key}"`);
    }
    const licenseKeys = portal.org.licenseKeys.map((k) =>
      k.key === key ? { ...k, state: 'revoked' as const } : k,
    );
    portal.setOrg({ ...portal.org, licenseKeys });
  }
  if (step.bumpRevision) portal.setOrg(portal.org);
  if (step.clearFaults) portal.faults.clear();
  for (const id of step.removeFaults ?? []) {
    if (!portal.faults.remove(id)) throw new Error(`there is no active fault with id "${id}"`);
  }
  for (const fault of step.faults ?? []) portal.faults.add(fault);
}

function isStop(step: Step): step is StopStep {
  return step.do === 'cancel-at' || step.do === 'kill-at';
}

function stopBytes(step: StopStep, context: StepContext): number | undefined {
  const at =
    step.bytes ??
    (step.percent === undefined
      ? undefined
      : Math.floor((context.imageBytes * step.percent) / 100));
  if (at !== undefined && (at <= 0 || at >= context.imageBytes)) {
    throw new Error(`the stop point must be inside the image (1 to ${context.imageBytes - 1})`);
  }
  return at;
}

function current(context: StepContext): AgentRunProcess | undefined {
  return context.runs.at(-1);
}

function running(context: StepContext): AgentRunProcess {
  const agent = current(context);
  if (!agent) throw new Error('no agent was started; put a "run" step first');
  return agent;
}
