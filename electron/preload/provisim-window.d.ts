// Kept out of shared/: `Window` is a DOM type, and shared/ is environment-neutral.
// The renderer adds this file to tsconfig.web.json `include` (it imports nothing from electron).
import type { ContractClient } from '../../shared/ipc-contract.ts';

declare global {
  interface Window {
    /** The main-process API the preload exposes; absent in browser mode. */
    readonly provisim?: ContractClient;
  }
}

export {};
