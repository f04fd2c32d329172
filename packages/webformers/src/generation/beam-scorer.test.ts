import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../utils/errors.js';
import { BeamSearchScorer, type BeamSearchSettings } from './beam-scorer.js';
import { topCandidates } from './beam-search.js';

const settings = (over: Partial<BeamSearchSettings> = {}): BeamSearchSettings => ({
  batchSize: 1, numBeams: 2, lengthPenalty: 1, earlyStopping: true, numReturnSequences: 2,
  maxLength: 10, decoderPromptLength: 1, eosTokenIds: [0], padTokenId: 9, ...over,
});
const cand = (score: number, token: number, beam: number) => ({ score, token, beam });

describe('BeamSearchScorer', () => {
  it('refuses a single beam', () => {
    expect(() => new BeamSearchScorer(settings({ numBeams: 1 }))).toThrow(InvalidArgumentError);
  });

  it('keeps the best non-EOS candidates as next beams and remembers their source rows', () => {
    const scorer = new BeamSearchScorer(settings());
    const step = scorer.process([[1], [1]], [[cand(-1, 4, 0), cand(-2, 5, 1), cand(-3, 6, 0), cand(-4, 7, 1)]]);
    expect(step.tokens).toEqual([4, 5]);
    expect(step.sourceRows).toEqual([0, 1]);
    expect(Array.from(step.scores)).toEqual([-1, -2]);
  });

  it('turns EOS candidates ranked within num_beams into finished hypotheses; with early_stopping true it is done at num_beams of them', () => {
    const scorer = new BeamSearchScorer(settings());
    scorer.process([[1, 2], [1, 3]], [[cand(-1, 0, 0), cand(-2, 4, 1), cand(-3, 0, 1), cand(-4, 5, 0)]]);
    expect(scorer.isDone).toBe(false);
    scorer.process([[1, 2, 4], [1, 3, 5]], [[cand(-2, 0, 1), cand(-3, 6, 0), cand(-4, 7, 0), cand(-5, 8, 1)]]);
    expect(scorer.isDone).toBe(true);
  });

  it('ignores EOS candidates ranked below num_beams', () => {
    const scorer = new BeamSearchScorer(settings({ numReturnSequences: 1 }));
    scorer.process([[1], [1]], [[cand(-1, 4, 0), cand(-2, 5, 0), cand(-3, 0, 1), cand(-4, 6, 1)]]);
    const { sequences } = scorer.finalize([[1, 4], [1, 5]], Float32Array.from([-1, -2]));
    expect(sequences).toEqual([[1, 4, 0]]);
  });

  it('finalize returns best first, closing shorter rows with EOS and padding them', () => {
    const scorer = new BeamSearchScorer(settings({ earlyStopping: false, lengthPenalty: 1 }));
    // A finished hypothesis [1, 2] (+EOS) with score -0.5 per token beats open beams of -3 / 2 tokens.
    scorer.process([[1, 2], [1, 3]], [[cand(-1, 0, 0), cand(-2, 4, 1), cand(-5, 5, 1), cand(-6, 6, 0)]]);
    const { sequences, scores } = scorer.finalize([[1, 3, 4], [1, 3, 5]], Float32Array.from([-2, -5]));
    expect(sequences).toEqual([[1, 2, 0, 9], [1, 3, 4, 0]]);
    expect(scores[0]).toBeGreaterThanOrEqual(scores[1]);
  });
});

describe('topCandidates', () => {
  it('ranks (beam, token) pairs over all beams, best first, ties to the lower index', () => {
    const beams = [Float32Array.from([0.1, 0.9, 0.5]), Float32Array.from([0.9, 0.2, 0.7])];
    expect(topCandidates(beams, 3)).toEqual([cand(0.8999999761581421, 1, 0), cand(0.8999999761581421, 0, 1), cand(0.699999988079071, 2, 1)]);
  });
});
