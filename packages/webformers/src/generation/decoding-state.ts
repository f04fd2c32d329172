/**
 * What the greedy/sampling and beam loops share: the rows being extended, their masks, and one
 * model step that turns the model's flat logits into per-row score vectors.
 */
import { WebformersError } from '../utils/errors.js';
import type { LogitsProcessorList } from './logits-processors/processor-list.js';
import type { StoppingCriteriaList } from './stopping-criteria.js';
import type { StepModel, TokenRows } from './types.js';
import { yieldToEventLoop } from '../utils/yield-to-event-loop.js';

export interface DecodingState {
  model: StepModel;
  /** Every row's ids so far (prompt or decoder start included); the loops append in place. */
  sequences: number[][];
  /** Mask over the same positions (decoder-only: prompt padding zeros, then ones). */
  attentionMask: number[][];
  processors: LogitsProcessorList;
  stopping: StoppingCriteriaList;
  /** When set, each step's processed scores (one copy per row) are collected here. */
  scores: Float32Array[][] | null;
}

/** The model's output did not have one vocabulary-sized row per sequence. */
export class StepOutputError extends WebformersError {
  constructor(got: number, rows: number, vocabSize: number) {
    super('generation_step_output', `A model step returned ${got} logits; expected ${rows} rows x ${vocabSize} (vocabSize).`, {
      hint: 'The StepModel must return the last position logits of every row, flattened row-major, and report its vocabSize.',
    });
  }
}

/** Runs the model on `feed` and returns one score row per sequence (views into the step's buffer). */
export async function runModelStep(state: DecodingState, feed: TokenRows): Promise<Float32Array[]> {
  const { model } = state;
  // One task boundary per step, so an abort message or a stream pull reaches a worker mid-generation.
  await yieldToEventLoop();
  const logits = await model.step({ inputIds: feed, attentionMask: state.attentionMask });
  const rows = state.sequences.length;
  if (logits.length !== rows * model.vocabSize) throw new StepOutputError(logits.length, rows, model.vocabSize);
  return Array.from({ length: rows }, (_, r) => logits.subarray(r * model.vocabSize, (r + 1) * model.vocabSize));
}

/** Keeps a copy of this step's processed scores when the caller asked for them. */
export function recordScores(state: DecodingState, scores: readonly Float32Array[]): void {
  state.scores?.push(scores.map((row) => Float32Array.from(row)));
}
