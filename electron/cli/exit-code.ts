import type { ExitCode } from '../../shared/codes.ts';

/** Sets the exit code a command action ends with. */
export type SetExitCode = (code: ExitCode) => void;
