import { dirname, join } from 'node:path';
import Conf, { type Options as ConfOptions } from 'conf';
import { z } from 'zod';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { HOME_FOLDER_ADVICE, folderFailure, isFolderProblem } from './writable-folder.ts';

/** A zod object schema as conf needs it: `properties` plus the rest as `rootSchema`. */
export function confSchemaOf(schema: z.ZodObject): {
  schema: Record<string, unknown>;
  rootSchema: Record<string, unknown>;
} {
  // io 'input': defaults are filled by ajv and unknown keys from newer versions are kept.
  const json = stripUnusableDefaults(z.toJSONSchema(schema, { io: 'input' }), false);
  const { properties, ...rootSchema } = json as Record<string, unknown>;
  return { schema: (properties ?? {}) as Record<string, unknown>, rootSchema };
}

/**
 * Removes `default` keywords under anyOf/oneOf/allOf: ajv ignores them there and its strict mode
 * refuses to compile such a schema. The zod schema still fills those defaults when parsing.
 */
function stripUnusableDefaults(node: unknown, underCombinator: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => stripUnusableDefaults(item, underCombinator));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'default' && underCombinator) continue;
    const combinator = key === 'anyOf' || key === 'oneOf' || key === 'allOf';
    out[key] = stripUnusableDefaults(value, underCombinator || combinator);
  }
  return out;
}

/** REGISTRATION_FAILED for an agent file whose content cannot be what the agent wrote. */
export function corruptFile(path: string, reason: string, cause?: unknown): ProvisimError {
  const message = `The agent file ${path} is corrupt (${reason}). It was left untouched: fix or remove it, then try again.`;
  return new ProvisimError('REGISTRATION_FAILED', { message, details: { path }, cause });
}

/** A conf failure on one of the agent's files, as a ProvisimError naming the file (or its folder). */
export function storeError(path: string, error: unknown, writing: boolean): ProvisimError {
  if (isFolderProblem(error)) {
    return folderFailure(error, dirname(path), 'agent home folder', HOME_FOLDER_ADVICE);
  }
  // JSON nested deeper than the stack: conf's schema check or the store's write round trip
  // overflows. Only the file can be that deep (what the agent writes is flat), so it is corrupt.
  const tooDeep = error instanceof RangeError && /call stack/i.test(error.message);
  const reason = tooDeep
    ? 'nested too deeply to be read'
    : error instanceof Error
      ? error.message
      : String(error);
  const corrupt =
    tooDeep ||
    (!writing && (error instanceof SyntaxError || reason.startsWith('Config schema violation')));
  if (corrupt) return corruptFile(path, reason, error);
  const message = writing
    ? `Refused to save invalid data to ${path}: ${reason}`
    : `The agent file ${path} cannot be read: ${reason}`;
  return new ProvisimError('REGISTRATION_FAILED', { message, details: { path }, cause: error });
}

/** Makes the conf instance behind one of the agent's files. */
export type ConfFactory = <T extends Record<string, unknown>>(options: ConfOptions<T>) => Conf<T>;

let makeConf: ConfFactory = (options) => new Conf(options);
// conf compiles its JSON schema (ajv) for every instance, about 50 ms each; an instance reads its
// file on every access anyway, so one per file is shared for the life of the process.
const opened = new Map<string, Conf<Record<string, unknown>>>();

/** Backs the agent's files with another conf, electron-store in the desktop app: same files, same schema. */
export function useConfFactory(factory: ConfFactory): void {
  makeConf = factory;
  opened.clear();
}

/** Opens a conf file in `cwd` with a zod schema; unreadable or invalid files throw, never wiped. */
export function openConfFile<T extends Record<string, unknown>>(options: {
  cwd: string;
  configName: string;
  /** Checked by conf (ajv) on every read and write; without one the caller checks with zod. */
  schema?: z.ZodObject;
}): Conf<T> {
  const path = join(options.cwd, `${options.configName}.json`);
  const known = opened.get(path);
  if (known) return known as Conf<T>;
  const { schema, rootSchema } = options.schema ? confSchemaOf(options.schema) : {};
  try {
    const conf = makeConf<T>({
      cwd: options.cwd,
      configName: options.configName,
      // conf's Schema type is stricter than zod's JSON Schema output; the shape is the same.
      schema: schema as never,
      rootSchema: rootSchema as never,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      // The store holds the license key: keep it private to the user.
      configFileMode: 0o600,
    });
    opened.set(path, conf as Conf<Record<string, unknown>>);
    return conf;
  } catch (error) {
    throw storeError(path, error, false);
  }
}
