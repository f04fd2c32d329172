/**
 * Greedy search and multinomial sampling, one token per row per step, as Python's `_sample` (4.47):
 * processors run on the raw logits, rows that already finished keep receiving the pad token while
 * others go on, and the loop ends when every row is finished.
 */
import { recordScores, runModelStep, type DecodingState } from './decoding-state.js';
import { argmax } from './math.js';
import { sampleToken, type RandomSource } from './sampling.js';
import type { Streamer } from './types.js';

export interface SampleLoopOptions {
  /** Sampling source; null = greedy. */
  random: RandomSource | null;
  /** Set when an EOS criterion is active: finished rows are then filled with this id. */
  padTokenId: number | null;
  streamer: Streamer | null;
}

export async function sampleLoop(state: DecodingState, options: SampleLoopOptions): Promise<void> {
  const { sequences, attentionMask } = state;
  const unfinished = sequences.map(() => true);
  let feed: number[][] = sequences.map((row) => [...row]);
  do {
    const scores = await runModelStep(state, feed);
    state.processors.apply(sequences, scores);
    recordScores(state, scores);
    const next = scores.map((row, r) => {
      if (!unfinished[r] && options.padTokenId !== null) return options.padTokenId;
      return options.random ? sampleToken(row, options.random) : argmax(row);
    });
    next.forEach((token, r) => {
      sequences[r].push(token);
      attentionMask[r].push(1);
    });
    feed = next.map((token) => [token]);
    options.streamer?.put(feed);
    state.stopping.isDone(sequences).forEach((done, r) => { if (done) unfinished[r] = false; });
  } while (unfinished.some(Boolean));
}
