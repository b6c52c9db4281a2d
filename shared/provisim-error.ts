import { ERROR_SENTENCES, type ErrorCode } from './codes.ts';

/** Options of a ProvisimError beyond its code. */
export interface ProvisimErrorOptions {
  /** A sentence for this case; the code's standard sentence when absent. */
  readonly message?: string;
  /** Whether trying the same operation again may succeed. */
  readonly retryable?: boolean;
  /** Facts for logs and JSON output (numbers, URLs); never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** An error with a stable code and a sentence a user can act on. */
export class ProvisimError extends Error {
  override readonly name = 'ProvisimError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, options: ProvisimErrorOptions = {}) {
    super(options.message ?? ERROR_SENTENCES[code], { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }

  /** The error as plain data, for JSON output and IPC. */
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Whether a value is a ProvisimError, also across module copies. */
export function isProvisimError(value: unknown): value is ProvisimError {
  return value instanceof Error && value.name === 'ProvisimError' && 'code' in value;
}
