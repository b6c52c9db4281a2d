import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { CommanderError } from 'commander';
import { parseAllDocuments } from 'yaml';
import { shareOfFlags, type FleetFlags } from '../../electron/cli/commands/fleet-command.ts';
import { buildProgram } from '../../electron/cli/program.ts';
import { readLicensesFile } from '../../electron/fleet/fleet-options.ts';

// Reads deploy/fleet-job.yaml as Kubernetes would and runs the Job's arguments through the real
// `provisim fleet` option parser for every completion index.

const ROOT = resolve(import.meta.dirname, '../..');
/** The Job manifest. */
export const JOB_FILE = join(ROOT, 'deploy', 'fleet-job.yaml');
/** Where a pod of an Indexed Job finds its completion index. */
export const INDEX_ANNOTATION = "metadata.annotations['batch.kubernetes.io/job-completion-index']";
/** The variable the Job's arguments read the index from. */
export const INDEX_VAR = 'JOB_COMPLETION_INDEX';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath?: string };
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
}

interface Container {
  name?: string;
  command?: unknown[];
  args?: unknown[];
  env?: EnvVar[];
  volumeMounts?: { name: string; mountPath: string }[];
  resources?: { limits?: { memory?: string } };
}

interface Volume {
  name: string;
  secret?: { secretName: string };
  configMap?: { name: string };
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    backoffLimitPerIndex?: number;
    podFailurePolicy?: unknown;
    template?: {
      spec?: { restartPolicy?: string; containers?: Container[]; volumes?: Volume[] };
    };
  };
}

export function loadObjects(text: string): KubeObject[] {
  return parseAllDocuments(text).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS() as KubeObject;
  });
}

/**
 * Kubernetes' expansion of `$(NAME)` in a container's command and args: a declared variable is
 * replaced, `$$` is one `$`, and a reference to anything else is left as written.
 */
function expand(text: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const next = text[i + 1];
    if (text[i] !== '$' || (next !== '$' && next !== '(')) {
      out += text[i];
    } else if (next === '$') {
      out += '$';
      i += 1;
    } else {
      const end = text.indexOf(')', i + 2);
      const name = end < 0 ? undefined : text.slice(i + 2, end);
      if (name === undefined) {
        out += text.slice(i);
        break;
      }
      out += vars.get(name) ?? `$(${name})`;
      i = end;
    }
  }
  return out;
}

/** A ConfigMap's or Secret's entry among the manifest's objects. */
export function entryOf(objects: readonly KubeObject[], kind: string, name: string, key: string) {
  const object = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  const plain = object?.stringData?.[key];
  if (plain !== undefined) return plain;
  const data = object?.data?.[key];
  if (data === undefined) return undefined;
  return kind === 'Secret' ? Buffer.from(data, 'base64').toString('utf8') : data;
}

/** The container's variables as the pod with completion index `index` sees them. */
function podVars(objects: readonly KubeObject[], env: readonly EnvVar[], index: number) {
  const vars = new Map<string, string>();
  for (const variable of env) {
    const from = variable.valueFrom;
    let value: string | undefined;
    if (variable.value !== undefined) value = expand(variable.value, vars);
    else if (from?.fieldRef?.fieldPath === INDEX_ANNOTATION) value = String(index);
    else if (from?.configMapKeyRef) {
      const { name, key } = from.configMapKeyRef;
      value = entryOf(objects, 'ConfigMap', name, key);
    } else if (from?.secretKeyRef) {
      const { name, key } = from.secretKeyRef;
      value = entryOf(objects, 'Secret', name, key);
    }
    if (value !== undefined) vars.set(variable.name, value);
  }
  return vars;
}

/** The largest fleet `provisim fleet` takes, as its `--macs` help says ("at most N"). */
export async function maxMacs(): Promise<number> {
  const program = await buildProgram(() => undefined, 'fleet');
  const fleet = program.commands.find((command) => command.name() === 'fleet');
  const help = fleet?.options.find((option) => option.long === '--macs')?.description ?? '';
  const match = /at most ([\d,_]+)/.exec(help);
  if (!match) throw new Error(`the --macs help no longer says its limit: "${help}"`);
  return Number(match[1]!.replace(/[,_]/g, ''));
}

/** Parses `args` (`fleet ...`) with the real CLI, without running the fleet. */
async function parseFleetArgs(args: readonly string[]): Promise<FleetFlags> {
  const program = await buildProgram(() => undefined, 'fleet');
  const fleet = program.commands.find((command) => command.name() === 'fleet');
  if (!fleet) throw new Error('the CLI has no fleet command');
  let parsed: FleetFlags | undefined;
  fleet.action((flags: FleetFlags) => {
    parsed = flags;
  });
  const quiet = { writeOut: () => undefined, writeErr: () => undefined };
  for (const command of [program, fleet]) {
    command.configureOutput({ ...quiet, outputError: () => undefined });
  }
  await program.parseAsync([...args], { from: 'user' });
  if (!parsed) throw new Error(`the CLI did not run "fleet" for: ${args.join(' ')}`);
  return parsed;
}

/** Everything wrong with how the Job shares one fleet out over its pods; empty when nothing is. */
export async function shardWiringProblems(objects: readonly KubeObject[]): Promise<string[]> {
  const jobs = objects.filter((o) => o.kind === 'Job');
  if (jobs.length !== 1) return [`expected one Job, found ${jobs.length}`];
  const job = jobs[0]!;
  const spec = job.spec ?? {};
  const problems: string[] = [];
  const say = (problem: string) => problems.push(problem);

  if (job.apiVersion !== 'batch/v1') say(`the Job's apiVersion is ${job.apiVersion}`);
  if (spec.completionMode !== 'Indexed') say(`completionMode is ${spec.completionMode}`);
  const completions = spec.completions;
  if (!Number.isInteger(completions) || completions! < 1) {
    return [...problems, `completions is ${completions}`];
  }
  const count = completions!;
  if (spec.parallelism !== count) say(`parallelism ${spec.parallelism} != completions ${count}`);
  const pod = spec.template?.spec ?? {};
  if (pod.restartPolicy !== 'Never' && pod.restartPolicy !== 'OnFailure') {
    say(`restartPolicy is ${pod.restartPolicy}`);
  }
  if (
    (spec.backoffLimitPerIndex !== undefined || spec.podFailurePolicy !== undefined) &&
    pod.restartPolicy !== 'Never'
  ) {
    say('backoffLimitPerIndex and podFailurePolicy need restartPolicy Never');
  }

  const containers = pod.containers ?? [];
  if (containers.length !== 1) return [...problems, `expected one container, ${containers.length}`];
  const container = containers[0]!;
  if (container.command !== undefined) say("command replaces the image's ENTRYPOINT (the CLI)");
  if (!container.resources?.limits?.memory) say('the container has no memory limit');
  const args = container.args ?? [];
  if (!args.every((arg): arg is string => typeof arg === 'string')) {
    return [...problems, `every arg must be a string (quote numbers): ${JSON.stringify(args)}`];
  }
  if (args[0] !== 'fleet') say(`the first arg is ${args[0]}, not fleet`);

  const env = container.env ?? [];
  const declared = env.find((variable) => variable.name === INDEX_VAR);
  if (declared?.valueFrom?.fieldRef?.fieldPath !== INDEX_ANNOTATION) {
    say(`${INDEX_VAR} is not declared in env from ${INDEX_ANNOTATION}`);
  }
  const shardAt = args.flatMap((arg, i) => (arg === '--shard' ? [i] : []));
  if (shardAt.length !== 1) say(`--shard is given ${shardAt.length} times`);
  const shardArg = shardAt.length === 0 ? undefined : args[shardAt[0]! + 1];
  if (shardArg !== `$(${INDEX_VAR})/${count}`) {
    say(`--shard is ${shardArg}, not $(${INDEX_VAR})/${count} (completions)`);
  }

  // Each pod: its args as Kubernetes expands them, parsed as the CLI parses them.
  const limit = await maxMacs();
  const owner = new Map<number, number>();
  const twice: string[] = [];
  let macs: number | undefined;
  for (let index = 0; index < count; index++) {
    const vars = podVars(objects, env, index);
    const podArgs = args.map((arg) => expand(arg, vars));
    let flags: FleetFlags;
    try {
      flags = await parseFleetArgs(podArgs);
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      say(`pod ${index}: the CLI refuses its args: ${error.message}`);
      continue;
    }
    if (flags.shard?.index !== index || flags.shard.count !== count) {
      say(`pod ${index} runs shard ${JSON.stringify(flags.shard)}, not ${index}/${count}`);
    }
    if (flags.macs > limit) say(`--macs ${flags.macs} is over the CLI's limit of ${limit}`);
    if (flags.macs % count !== 0) say(`--macs ${flags.macs} does not split into ${count} shards`);
    if (flags.disk !== 'none') say(`pod ${index} runs --disk ${flags.disk}, not none`);
    if (flags.json !== true) say(`pod ${index} does not print --json lines`);
    if (!/^https?:\/\/[^$\s]+$/.test(flags.portal)) say(`pod ${index}: --portal ${flags.portal}`);
    const mounts = container.volumeMounts ?? [];
    const home = flags.home;
    if (!home || !mounts.some((m) => home === m.mountPath || home.startsWith(`${m.mountPath}/`))) {
      say(`pod ${index}: --home ${home} is not on a mounted volume`);
    }
    macs ??= flags.macs;
    const licenses = await licensesOf(objects, pod.volumes ?? [], mounts, flags);
    if (licenses.length === 0) {
      say(`pod ${index} has no license keys`);
      continue;
    }
    // This pod's Macs, exactly as the command picks them.
    const share = shareOfFlags(flags, licenses);
    if (share.length !== flags.macs / count) {
      say(`pod ${index} runs ${share.length} Macs, not ${flags.macs / count}`);
    }
    for (const mac of share) {
      const other = owner.get(mac.index);
      if (other !== undefined) twice.push(`${mac.hostname} in pods ${other} and ${index}`);
      owner.set(mac.index, index);
    }
  }
  if (twice.length > 0) {
    say(`${twice.length} Macs run in more than one pod, the first ${twice[0]}`);
  }
  if (macs !== undefined && owner.size !== macs) {
    say(`the pods run ${owner.size} of the fleet's ${macs} Macs`);
  }
  return problems;
}

/** The license keys a pod reads: `--licenses` from its mounted Secret or ConfigMap, and `--license`. */
async function licensesOf(
  objects: readonly KubeObject[],
  volumes: readonly Volume[],
  mounts: readonly { name: string; mountPath: string }[],
  flags: FleetFlags,
): Promise<{ key: string; weight: number }[]> {
  const keys = flags.license.map((key) => ({ key, weight: 1 }));
  if (flags.licenses === undefined) return keys;
  const mount = mounts.find((m) => posix.dirname(flags.licenses!) === m.mountPath);
  const volume = volumes.find((v) => v.name === mount?.name);
  const file = posix.basename(flags.licenses);
  const text = volume?.secret
    ? entryOf(objects, 'Secret', volume.secret.secretName, file)
    : volume?.configMap
      ? entryOf(objects, 'ConfigMap', volume.configMap.name, file)
      : undefined;
  if (text === undefined) throw new Error(`no Secret or ConfigMap in the manifest holds ${file}`);
  // The real reader takes a file, as the pod has it.
  const dir = await mkdtemp(join(tmpdir(), 'provisim-deploy-'));
  try {
    const path = join(dir, file);
    await writeFile(path, text);
    return [...keys, ...(await readLicensesFile(path))];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
