import { faultSpecSchema, type FaultSpec } from '../../../shared/faults.ts';

/** A fault this portal cannot take (the fault API's 409): a tls fault on HTTP, or a taken id. */
export class FaultConflict extends Error {
  override readonly name = 'FaultConflict';
  /** The field of the spec that conflicts: `type` (tls on HTTP) or `id`. */
  readonly field: 'type' | 'id';

  constructor(message: string, field: 'type' | 'id') {
    super(message);
    this.field = field;
  }
}

/** What a fault is admitted against besides its own shape. */
export interface FaultRoom {
  readonly https: boolean;
  readonly taken: (id: string) => boolean;
}

/** A fault spec as written, parsed (throws ZodError) and checked against the portal (FaultConflict). */
export function admitFault(input: unknown, room: FaultRoom): FaultSpec {
  const spec = faultSpecSchema.parse(input);
  if (spec.type === 'tls' && !room.https) throw new FaultConflict(TLS_NEEDS_HTTPS, 'type');
  if (spec.id !== undefined && room.taken(spec.id)) {
    throw new FaultConflict(`There is already a fault with id "${spec.id}".`, 'id');
  }
  return spec;
}

/** The faults a portal starts with, each admitted as by admitFault, no two with one id. */
export function admitInitialFaults(inputs: readonly unknown[], https: boolean): FaultSpec[] {
  const ids = new Set<string>();
  return inputs.map((input) => {
    const spec = admitFault(input, { https, taken: (id) => ids.has(id) });
    if (spec.id !== undefined) ids.add(spec.id);
    return spec;
  });
}

const TLS_NEEDS_HTTPS =
  'The portal must be started with HTTPS (startPortal({ https: true }) or provisim portal --https) for a tls fault; this one serves plain HTTP.';
