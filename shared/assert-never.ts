/** Fails loudly when a `switch` over a union misses a case (the type checker says so first). */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
