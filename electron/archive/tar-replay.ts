import { readSegments, type ResumePlan } from './staged-archive.ts';
import type { TarExtraction } from './tar-extraction.ts';
import type { TarEntry } from './tar-framer.ts';

/** The staged files or the journal disagree with what the earlier run recorded. */
export class StagedArchiveMismatch extends Error {
  override readonly name = 'StagedArchiveMismatch';
}

/**
 * Reads the held archive stream back from the journal and the staged files, and walks the
 * extraction through it without writing: each entry is checked again (the same rules as a new
 * one) and must be on disk as recorded, so the extraction ends where the earlier run stopped.
 */
export async function* replayInto(
  extraction: TarExtraction,
  plan: ResumePlan,
): AsyncGenerator<Uint8Array> {
  const expected = plan.records.filter((record) => record.kind !== 'trailing');
  let next = 0;
  for await (const chunk of readSegments(plan.segments, new Set(plan.checkpoints.keys()))) {
    for (const part of extraction.framer.push(chunk)) {
      if (part.kind === 'data') continue;
      if (part.kind === 'trailing') {
        extraction.countTrailing(part.bytes.length);
        continue;
      }
      const record = expected[next++];
      if (record?.kind !== part.kind || record.offset !== part.offset) {
        throw new StagedArchiveMismatch(
          `the journal disagrees with the archive at byte ${part.offset}`,
        );
      }
      if (part.kind === 'entry' && record.kind === 'entry') {
        if (!sameEntry(record.entry, part.entry)) {
          throw new StagedArchiveMismatch(
            `the journal disagrees about ${JSON.stringify(part.entry.path)}`,
          );
        }
        const bytesOnDisk = plan.bytesOnDisk.get(record) ?? 0;
        if (!(await extraction.writer.adopt({ entry: part.entry, bytesOnDisk }))) {
          throw new StagedArchiveMismatch(
            `${JSON.stringify(part.entry.path)} is not on disk as it was unpacked`,
          );
        }
      }
    }
    yield chunk;
  }
  if (next !== expected.length)
    throw new StagedArchiveMismatch('the journal holds more than the staged files');
}

function sameEntry(a: TarEntry, b: TarEntry): boolean {
  return a.path === b.path && a.type === b.type && a.size === b.size;
}
