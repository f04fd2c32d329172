/**
 * Answer-span scoring of one window, as Python transformers 4.47's `select_starts_ends` and
 * `decode_spans`: tokens that cannot hold an answer (question, special, padding) get logit
 * -10000 before the softmax; the score of a span is p(start) · p(end) with
 * start ≤ end < start + max_answer_len; the top_k spans are chosen first and only then are
 * spans touching excluded tokens dropped (so fewer than top_k may come back, as in Python).
 */
import { softmax } from '../utils/math.js';

export interface SpanCandidate {
  start: number;
  end: number;
  score: number;
}

export interface WindowSpans {
  spans: SpanCandidate[];
  /** p(start = CLS) · p(end = CLS): the "no answer" score of this window. */
  nullScore: number;
}

const MASKED_LOGIT = -10000;

export function selectSpans(
  startLogits: ArrayLike<number>,
  endLogits: ArrayLike<number>,
  allowed: readonly boolean[],
  topK: number,
  maxAnswerLen: number,
): WindowSpans {
  const mask = (logits: ArrayLike<number>) => Array.from(logits, (v, i) => (allowed[i] ? v : MASKED_LOGIT));
  const start = softmax(mask(startLogits));
  const end = softmax(mask(endLogits));
  const nullScore = start[0] * end[0];
  start[0] = 0;
  end[0] = 0;

  // Only the top_k survive, so they are kept ranked as they come instead of sorting every pair.
  const candidates: SpanCandidate[] = [];
  for (let s = 0; s < start.length; s++) {
    if (start[s] === 0) continue;
    for (let e = s; e < Math.min(end.length, s + maxAnswerLen); e++) {
      const score = start[s] * end[e];
      if (score > 0) keepRanked(candidates, score, s, e, topK);
    }
  }
  const spans = candidates.filter((c) => allowed[c.start] && allowed[c.end]);
  return { spans, nullScore };
}

/**
 * Inserts a span into `ranked` (best first, at most `topK` long) after every span scoring at
 * least as much: pairs arrive in (start, end) order, so ties rank as a stable sort ranks them.
 */
function keepRanked(ranked: SpanCandidate[], score: number, start: number, end: number, topK: number): void {
  if (ranked.length === topK && score <= ranked[topK - 1].score) return;
  let at = ranked.length;
  while (at > 0 && ranked[at - 1].score < score) at--;
  ranked.splice(at, 0, { start, end, score });
  if (ranked.length > topK) ranked.pop();
}
