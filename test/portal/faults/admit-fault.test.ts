import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  FaultConflict,
  admitFault,
  admitInitialFaults,
} from '../../../electron/portal/faults/admit-fault.ts';

const plain = { https: false, taken: (id: string) => id === 'used' };

describe('admitFault', () => {
  it('parses a spec as written, filling in the defaults', () => {
    expect(admitFault({ type: 'gzip' }, plain)).toEqual({ type: 'gzip', toxicity: 1 });
  });

  it('throws the schema error for a bad spec, before looking at the portal', () => {
    expect(() => admitFault({ id: 'used', type: 'latency', latencyMs: -1 }, plain)).toThrow(
      ZodError,
    );
  });

  it('refuses a tls fault on plain HTTP and a taken id as conflicts', () => {
    const tls = { type: 'tls', certificate: 'expired' };
    expect(() => admitFault(tls, plain)).toThrow(FaultConflict);
    expect(() => admitFault(tls, plain)).toThrow(/must be started with HTTPS/);
    expect(admitFault(tls, { ...plain, https: true })).toMatchObject({ type: 'tls' });
    expect(() => admitFault({ id: 'used', type: 'gzip' }, plain)).toThrow(
      'There is already a fault with id "used".',
    );
  });
});

describe('admitInitialFaults', () => {
  it('refuses two starting faults with one id', () => {
    const twice = [
      { id: 'a', type: 'gzip' },
      { id: 'a', type: 'chunked' },
    ];
    expect(() => admitInitialFaults(twice, false)).toThrow(FaultConflict);
    expect(admitInitialFaults([{ type: 'gzip' }, { type: 'gzip' }], false)).toHaveLength(2);
  });
});
