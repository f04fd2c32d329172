/**
 * Beam bookkeeping of Python transformers 4.47 (`BeamSearchScorer` + `BeamHypotheses`), kept
 * decision for decision so that beam search returns Python's sequences token for token: which
 * candidates become finished hypotheses, when a batch entry is done (`early_stopping` true / false /
 * 'never'), how finished and open beams are ranked (length penalty on the generated length only), and
 * how the returned rows are padded and closed with EOS.
 */
import { InvalidArgumentError } from '../utils/errors.js';
import type { EarlyStopping } from './generation-config.js';
import type { TokenRows } from './types.js';

export interface BeamSearchSettings {
  batchSize: number;
  numBeams: number;
  lengthPenalty: number;
  earlyStopping: EarlyStopping;
  numReturnSequences: number;
  /** Total length limit (stopping criterion), used by `early_stopping: 'never'` and `finalize`. */
  maxLength: number;
  /** Ids each row started with; the length penalty counts only what comes after them. */
  decoderPromptLength: number;
  eosTokenIds: readonly number[];
  padTokenId: number | null;
}

/** One extension of a beam: its cumulative score, the token, and which beam (within its batch entry) it extends. */
export interface BeamCandidate {
  score: number;
  token: number;
  beam: number;
}

export interface BeamStep {
  /** Cumulative score of each surviving row, `[batch * numBeams]`. */
  scores: Float32Array;
  /** Token appended to each row. */
  tokens: number[];
  /** For each new row, the old row it continues (global index): what the KV cache must be reordered by. */
  sourceRows: number[];
}

interface Hypothesis {
  score: number;
  tokens: number[];
}

/** The `numBeams` best finished sequences of one batch entry. */
class BeamHypotheses {
  readonly beams: Hypothesis[] = [];
  // Python starts from 1e9 so that the first `numBeams` hypotheses are always accepted.
  private worstScore = 1e9;

  constructor(private readonly settings: BeamSearchSettings) {}

  add(tokens: number[], sumLogprobs: number, generatedLength: number): void {
    const score = sumLogprobs / generatedLength ** this.settings.lengthPenalty;
    if (this.beams.length < this.settings.numBeams || score > this.worstScore) {
      this.beams.push({ score, tokens });
      if (this.beams.length > this.settings.numBeams) {
        const ranked = this.beams.map((b, i) => [b.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.beams.splice(ranked[0][1], 1);
        this.worstScore = ranked[1][0];
      } else {
        this.worstScore = Math.min(score, this.worstScore);
      }
    }
  }

  isDone(bestSumLogprobs: number, currentLength: number): boolean {
    const { numBeams, earlyStopping, lengthPenalty, maxLength, decoderPromptLength } = this.settings;
    if (this.beams.length < numBeams) return false;
    if (earlyStopping === true) return true;
    // false: Python's heuristic assumes the best open beam ends now; 'never' with a positive penalty
    // assumes it runs to max_length, the most favourable length it could still reach.
    const bestLength = earlyStopping === 'never' && lengthPenalty > 0 ? maxLength : currentLength;
    const highestAttainable = bestSumLogprobs / (bestLength - decoderPromptLength) ** lengthPenalty;
    return this.worstScore >= highestAttainable;
  }
}

export class BeamSearchScorer {
  private readonly hypotheses: BeamHypotheses[];
  private readonly done: boolean[];

  constructor(private readonly settings: BeamSearchSettings) {
    if (!Number.isInteger(settings.numBeams) || settings.numBeams <= 1) {
      throw new InvalidArgumentError(`Beam search needs num_beams > 1, got ${settings.numBeams}.`, { hint: 'Use greedy search for num_beams: 1.' });
    }
    if (settings.earlyStopping === 'never' && settings.lengthPenalty > 0 && settings.maxLength <= settings.decoderPromptLength) {
      throw new InvalidArgumentError(`max_length (${settings.maxLength}) is not larger than the prompt (${settings.decoderPromptLength}).`, {
        hint: 'Raise max_length or use max_new_tokens.',
      });
    }
    this.hypotheses = Array.from({ length: settings.batchSize }, () => new BeamHypotheses(settings));
    this.done = Array.from({ length: settings.batchSize }, () => false);
  }

  get isDone(): boolean {
    return this.done.every(Boolean);
  }

  /**
   * Python's `process`: `candidates[b]` are batch entry b's best extensions, best first (at least
   * 2 * numBeams of them). EOS extensions ranked within the top numBeams become finished hypotheses;
   * the first numBeams non-EOS extensions become the next beams.
   */
  process(inputIds: TokenRows, candidates: readonly (readonly BeamCandidate[])[]): BeamStep {
    const { numBeams, eosTokenIds, padTokenId, decoderPromptLength } = this.settings;
    const rows = this.settings.batchSize * numBeams;
    const step: BeamStep = { scores: new Float32Array(rows), tokens: new Array<number>(rows), sourceRows: new Array<number>(rows) };
    const currentLength = inputIds[0].length + 1;
    this.hypotheses.forEach((hyps, b) => {
      const first = b * numBeams;
      if (this.done[b]) {
        if (padTokenId === null) {
          throw new InvalidArgumentError('Beam search finished a batch entry early but no pad_token_id is set.', { hint: 'Set pad_token_id (or eos_token_id) in the generation options.' });
        }
        // Python points finished entries at row 0; any row of this entry is equivalent and keeps the cache local.
        for (let k = 0; k < numBeams; k++) fill(step, first + k, 0, padTokenId, first);
        return;
      }
      let filled = 0;
      for (let rank = 0; rank < candidates[b].length && filled < numBeams; rank++) {
        const { score, token, beam } = candidates[b][rank];
        const row = first + beam;
        if (eosTokenIds.includes(token)) {
          if (rank >= numBeams) continue;
          hyps.add([...inputIds[row]], score, currentLength - decoderPromptLength);
        } else {
          fill(step, first + filled, score, token, row);
          filled++;
        }
      }
      if (filled < numBeams) {
        throw new InvalidArgumentError(`Beam search got too few non-EOS candidates for batch entry ${b}.`, { hint: 'Pass at least 2 * num_beams candidates per batch entry.' });
      }
      this.done[b] = hyps.isDone(candidates[b][0].score, currentLength);
    });
    return step;
  }

  /**
   * Python's `finalize`: open beams of unfinished entries join the hypotheses, the best
   * `numReturnSequences` per entry are returned best first, rows are closed with the first EOS id
   * when shorter than the longest (+1, capped at max_length) and padded with pad_token_id.
   */
  finalize(inputIds: TokenRows, beamScores: Float32Array): { sequences: number[][]; scores: number[] } {
    const { numBeams, numReturnSequences, maxLength, decoderPromptLength, eosTokenIds, padTokenId } = this.settings;
    this.hypotheses.forEach((hyps, b) => {
      if (this.done[b]) return;
      for (let k = 0; k < numBeams; k++) {
        const row = b * numBeams + k;
        hyps.add([...inputIds[row]], beamScores[row], inputIds[row].length - decoderPromptLength);
      }
    });
    const best: Hypothesis[] = [];
    for (const hyps of this.hypotheses) {
      // Python sorts ascending (stable) and pops from the end: among equal scores the later one wins.
      const ranked = [...hyps.beams].sort((x, y) => x.score - y.score);
      for (let j = 0; j < numReturnSequences; j++) best.push(ranked.pop() as Hypothesis);
    }
    const lengths = best.map((h) => h.tokens.length);
    const width = Math.min(Math.max(...lengths) + 1, maxLength);
    const ragged = Math.min(...lengths) !== Math.max(...lengths);
    if (ragged && padTokenId === null) {
      throw new InvalidArgumentError('Beam search returned sequences of different lengths but no pad_token_id is set.', { hint: 'Set pad_token_id in the generation options.' });
    }
    const sequences = best.map((h) => {
      const row = [...h.tokens];
      if (row.length < width && eosTokenIds.length > 0) row.push(eosTokenIds[0]);
      while (ragged && row.length < width) row.push(padTokenId as number);
      return row;
    });
    return { sequences, scores: best.map((h) => h.score) };
  }
}

function fill(step: BeamStep, index: number, score: number, token: number, sourceRow: number): void {
  step.scores[index] = score;
  step.tokens[index] = token;
  step.sourceRows[index] = sourceRow;
}
