import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../electron/cli/run-output.ts';
import { sampleEvent } from '../helpers/sample-events.ts';

describe('the lines a terminal run prints', () => {
  it('says once where a resumed download continues', () => {
    expect(describeEvent(sampleEvent('download-resumed', { offset: 2_000_000 }))).toBeUndefined();
    expect(
      describeEvent(sampleEvent('download-started', { offset: 2_000_000, total: 8_000_000 })),
    ).toBe('Continuing the download at 2 MB of 8 MB');
    expect(describeEvent(sampleEvent('download-started', { offset: 0, total: 8_000_000 }))).toBe(
      'Downloading 8 MB',
    );
  });
});
