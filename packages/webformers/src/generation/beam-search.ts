/**
 * Beam search as Python's `_beam_search` (4.47): scores are log-softmax of the logits, processed,
 * then added to each beam's running score; the best `max(2, 1 + #eos) * numBeams` extensions per
 * batch entry go to the `BeamSearchScorer`, the KV cache follows the surviving beams, and the loop
 * ends when every entry is done or a stopping criterion holds for every row.
 */
import { BeamSearchScorer, type BeamCandidate, type BeamSearchSettings } from './beam-scorer.js';
import { recordScores, runModelStep, type DecodingState } from './decoding-state.js';
import { logSoftmaxInPlace } from './math.js';

export interface BeamSearchResult {
  /** `batch * numReturnSequences` rows, best first within each batch entry. */
  sequences: number[][];
  /** Length-penalised score of each returned row. */
  sequenceScores: number[];
}

export async function beamSearch(state: DecodingState, settings: BeamSearchSettings): Promise<BeamSearchResult> {
  const { numBeams, batchSize } = settings;
  const scorer = new BeamSearchScorer(settings);
  // Only beam 0 of each entry is live at first, so the identical copies do not fill the beam.
  let beamScores: Float32Array = Float32Array.from({ length: batchSize * numBeams }, (_, row) => (row % numBeams === 0 ? 0 : -1e9));
  const keep = Math.max(2, 1 + settings.eosTokenIds.length) * numBeams;
  let feed: number[][] = state.sequences.map((row) => [...row]);
  for (;;) {
    const scores = await runModelStep(state, feed);
    for (const row of scores) logSoftmaxInPlace(row);
    state.processors.apply(state.sequences, scores);
    recordScores(state, scores);
    scores.forEach((row, r) => {
      for (let i = 0; i < row.length; i++) row[i] = row[i] + beamScores[r];
    });
    const candidates = Array.from({ length: batchSize }, (_, b) => topCandidates(scores.slice(b * numBeams, (b + 1) * numBeams), keep));
    const step = scorer.process(state.sequences, candidates);
    beamScores = step.scores;
    state.sequences = step.sourceRows.map((source, r) => [...state.sequences[source], step.tokens[r]]);
    state.attentionMask = step.sourceRows.map((source) => [...state.attentionMask[source], 1]);
    state.model.selectRows(step.sourceRows);
    feed = step.tokens.map((token) => [token]);
    if (scorer.isDone || state.stopping.isDone(state.sequences).every(Boolean)) break;
  }
  const { sequences, scores } = scorer.finalize(state.sequences, beamScores);
  return { sequences, sequenceScores: scores };
}

/**
 * The `count` best (beam, token) pairs over all beams of one batch entry, best first. Equal scores
 * keep the lower flat index (beam-major) first; torch.topk leaves that order unspecified.
 */
export function topCandidates(beams: readonly Float32Array[], count: number): BeamCandidate[] {
  const best: BeamCandidate[] = [];
  beams.forEach((row, beam) => {
    for (let token = 0; token < row.length; token++) {
      const score = row[token];
      if (best.length === count && !(score > best[count - 1].score)) continue;
      let at = best.length;
      while (at > 0 && best[at - 1].score < score) at--;
      best.splice(at, 0, { score, token, beam });
      if (best.length > count) best.pop();
    }
  });
  return best;
}
