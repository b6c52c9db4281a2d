import type { Options as ConfOptions } from 'conf';
import ElectronStore from 'electron-store';
import { useConfFactory } from '../agent/conf-file.ts';

/**
 * Backs the agent's settings, VM registry and outbox with electron-store: the same files and the
 * same zod-derived schema as the headless agent, so the CLI and the app share one home folder.
 */
export function setupStores(): void {
  useConfFactory(
    <T extends Record<string, unknown>>(options: ConfOptions<T>) =>
      // electron-store takes the file name as `name` and would otherwise write `config.json`.
      new ElectronStore<T>({ ...options, name: options.configName }),
  );
}
