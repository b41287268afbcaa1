import { subtreeOf } from '../model/children.js';
import type { ModdleElement } from '../model/moddle.js';
import { forgetChunks } from './chunk-cache.js';

/** Told when the incremental serializer's output differed from moddle's: a change no operation marked. */
export type MismatchHandler = (details: { rootId: string; length: number; wholeLength: number }) => void;

let handler: MismatchHandler = (details) =>
  process.emitWarning(
    `incremental serialization of ${details.rootId} differed from moddle's (${details.length} vs ${details.wholeLength} chars); the whole document was used`,
    { code: 'FLOWLEDGER_SERIALIZATION_MISMATCH' },
  );
let sinceCheck = 0;

/** How often a chunked result is compared with moddle's whole serialization (every Nth call). */
export const CHECK_EVERY = 100;

export function onSerializationMismatch(next: MismatchHandler): void {
  handler = next;
}

/**
 * Every CHECK_EVERY-th time, compares `chunked` with `whole()` (about 1 % more work): a change an
 * operation failed to mark would otherwise go on unnoticed. On a difference the whole
 * serialization wins, the diagram's chunks are forgotten and the handler is told.
 */
export async function checkedSometimes(
  definitions: ModdleElement,
  chunked: string,
  whole: () => Promise<string>,
): Promise<string> {
  if (++sinceCheck < CHECK_EVERY) return chunked;
  sinceCheck = 0;
  const expected = await whole();
  if (expected === chunked) return chunked;
  forgetChunks(subtreeOf(definitions));
  handler({ rootId: String(definitions.id ?? ''), length: chunked.length, wholeLength: expected.length });
  return expected;
}
