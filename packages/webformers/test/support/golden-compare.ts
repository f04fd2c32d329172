/**
 * Comparing results with the Python-transformers goldens of test/fixtures/models (schema:
 * test/fixtures/models/README.md). Pure functions that return what differs, as readable lines, so
 * that vitest in Node and the Playwright pages in Chromium check with the same rules; an empty
 * list means the result matches. No Node, no test-runner imports.
 */
import { Tensor } from '../../src/utils/tensor.js';

export interface GoldenSummary {
  sum: number; l2: number; min: number; max: number; mean_abs: number;
  first8: number[]; argmax_last_axis: unknown; max_last_axis: unknown;
}
export type GoldenTensor = { shape: number[]; data: unknown } | { shape: number[]; summary: GoldenSummary };

/** What the checks read of a tensor: ours (`Tensor`) or a plain copy of one. */
export interface TensorLike {
  dims: readonly number[];
  data: ArrayLike<number>;
}

/** Golden token ids (`input_ids`, `attention_mask`, ...: rows of equal length) as a model input. */
export function int64(rows: number[][]): Tensor {
  return new Tensor('int64', rows.flat().map(BigInt), [rows.length, rows[0].length]);
}

/** Golden floats are strings for non-finite values. */
export function goldenNumber(v: unknown): number {
  return typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : (v as number);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown) => JSON.stringify(v);

function differs(what: string, actual: unknown, expected: unknown): string[] {
  return same(actual, expected) ? [] : [`${what}: got ${show(actual)}, expected ${show(expected)}`];
}

function beyond(what: string, diff: number, tol: number): string[] {
  return diff <= tol ? [] : [`${what}: |diff| ${diff} > ${tol}`];
}

export function allCloseProblems(actual: ArrayLike<number>, expected: ArrayLike<unknown>, tol: number, what: string): string[] {
  if (actual.length !== expected.length) return [`${what}: length ${actual.length}, expected ${expected.length}`];
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - goldenNumber(expected[i]));
    if (!(d <= worst)) { worst = d; at = i; }
  }
  return beyond(`${what}: max at flat index ${at}`, worst, tol);
}

/** Last-axis argmax / max of a float tensor, flattened over the leading axes. */
function lastAxis(dims: readonly number[], data: ArrayLike<number>): { argmax: number[]; max: number[] } {
  const width = dims[dims.length - 1];
  const argmax: number[] = [];
  const max: number[] = [];
  for (let off = 0; off < data.length; off += width) {
    let best = off;
    for (let i = off + 1; i < off + width; i++) if (data[i] > data[best]) best = i;
    argmax.push(best - off);
    max.push(data[best]);
  }
  return { argmax, max };
}

/**
 * Full goldens: every value within `tol` and the same last-axis argmax. Summarised goldens
 * (large tensors): sum, l2 and mean |x| relatively, min, max, the first 8 values and the
 * per-row maxima within `tol`, per-row argmax exactly.
 */
export function tensorProblems(actual: TensorLike, golden: GoldenTensor, tol: number, what: string): string[] {
  const shape = differs(`${what}: shape`, [...actual.dims], golden.shape);
  if (shape.length > 0) return shape;
  const data = actual.data;
  if ('data' in golden) {
    const flat = (golden.data as unknown[]).flat(Infinity).map(goldenNumber);
    return [
      ...allCloseProblems(data, flat, tol, what),
      ...differs(`${what}: argmax`, lastAxis(actual.dims, data).argmax, lastAxis(golden.shape, flat).argmax),
    ];
  }
  const s = golden.summary;
  let sum = 0, sq = 0, absSum = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    sum += v; sq += v * v; absSum += Math.abs(v); min = Math.min(min, v); max = Math.max(max, v);
  }
  const rows = lastAxis(actual.dims, data);
  return [
    ...beyond(`${what}: sum`, Math.abs(sum - s.sum), Math.max(tol, 1e-4 * Math.abs(s.sum))),
    ...beyond(`${what}: l2`, Math.abs(Math.sqrt(sq) - s.l2), 1e-4 * s.l2),
    ...beyond(`${what}: mean_abs`, Math.abs(absSum / data.length - s.mean_abs), 1e-4 * s.mean_abs + 1e-6),
    ...beyond(`${what}: min`, Math.abs(min - s.min), tol),
    ...beyond(`${what}: max`, Math.abs(max - s.max), tol),
    ...allCloseProblems(Array.from({ length: Math.min(8, data.length) }, (_, i) => data[i]), s.first8, tol, `${what}: first8`),
    ...differs(`${what}: argmax_last_axis`, rows.argmax, (s.argmax_last_axis as unknown[]).flat(Infinity)),
    ...allCloseProblems(rows.max, (s.max_last_axis as unknown[]).flat(Infinity) as unknown[], tol, `${what}: max_last_axis`),
  ];
}

/** A Python string index (code points) as a UTF-16 index into the same JS string. */
export function utf16Index(text: string, codePointIndex: number): number {
  return [...text].slice(0, codePointIndex).join('').length;
}

/** Scores within `tol`, one by one, in order. */
function scoreProblems(actual: readonly number[], expected: readonly number[], tol: number, what: string): string[] {
  if (actual.length !== expected.length) return [`${what}: ${actual.length} scores, expected ${expected.length}`];
  return actual.flatMap((score, i) => beyond(`${what} ${i}`, Math.abs(score - expected[i]), tol));
}

export interface LabelScoreLike { label: string; score: number }

/** text-classification: labels in the same order, scores within `tol`. */
export function labelScoreProblems(actual: readonly LabelScoreLike[], expected: readonly LabelScoreLike[], tol: number): string[] {
  return [
    ...differs('labels', actual.map((r) => r.label), expected.map((r) => r.label)),
    ...scoreProblems(actual.map((r) => r.score), expected.map((r) => r.score), tol, 'score'),
  ];
}

export interface EntityLike {
  entity?: string; entity_group?: string; score: number; index?: number; word: string; start: number | null; end: number | null;
}

/**
 * token-classification: labels, token indices and scores; with `spans`, also words and
 * offsets, the golden's code-point offsets converted to UTF-16 indices into `text`.
 */
export function entityProblems(actual: readonly EntityLike[], expected: readonly EntityLike[], text: string, spans: boolean, tol: number): string[] {
  const label = (e: EntityLike) => e.entity ?? e.entity_group;
  const problems = [
    ...differs('labels', actual.map(label), expected.map(label)),
    ...differs('indices', actual.map((e) => e.index), expected.map((e) => e.index)),
    ...scoreProblems(actual.map((e) => e.score), expected.map((e) => e.score), tol, 'score of entity'),
  ];
  if (!spans) return problems;
  return [
    ...problems,
    ...differs('words', actual.map((e) => e.word), expected.map((e) => e.word)),
    ...differs(
      'start/end',
      actual.map((e) => [e.start, e.end]),
      expected.map((e) => [utf16Index(text, e.start!), utf16Index(text, e.end!)]),
    ),
  ];
}

export interface AnswerLike { score: number; start: number; end: number; answer: string }

/**
 * question-answering: one answer or a list, as the golden; scores within `tol`; with `spans`,
 * answers and offsets (code points → UTF-16), each answer being its slice of `context`.
 */
export function answerProblems(actual: AnswerLike | AnswerLike[], expected: AnswerLike | AnswerLike[], context: string, spans: boolean, tol: number): string[] {
  if (Array.isArray(actual) !== Array.isArray(expected)) return [`shape: got ${show(actual)}, expected ${show(expected)}`];
  const got = [actual].flat();
  const want = [expected].flat();
  const problems = scoreProblems(got.map((a) => a.score), want.map((a) => a.score), tol, 'score');
  if (!spans) return problems;
  return [
    ...problems,
    ...differs('answers', got.map((a) => a.answer), want.map((a) => a.answer)),
    ...differs('start/end', got.map((a) => [a.start, a.end]), want.map((a) => [utf16Index(context, a.start), utf16Index(context, a.end)])),
    ...got.flatMap((a, i) => differs(`answer ${i} as a slice of the context`, context.slice(a.start, a.end), a.answer)),
  ];
}

export interface FillMaskLike { token: number; token_str: string; sequence: string; score: number }

/** fill-mask: tokens, token strings and sequences in order, scores within `tol`. */
export function fillMaskProblems(actual: readonly FillMaskLike[], expected: readonly FillMaskLike[], tol: number): string[] {
  return [
    ...differs('predictions', actual.map((p) => [p.token, p.token_str, p.sequence]), expected.map((p) => [p.token, p.token_str, p.sequence])),
    ...scoreProblems(actual.map((p) => p.score), expected.map((p) => p.score), tol, 'score'),
  ];
}

export interface ZeroShotLike { sequence: string; labels: string[]; scores: number[] }

/** zero-shot-classification: same sequence, labels ranked the same, scores within `tol`. */
export function zeroShotProblems(actual: ZeroShotLike, expected: ZeroShotLike, tol: number): string[] {
  return [
    ...differs('sequence', actual.sequence, expected.sequence),
    ...differs('labels', actual.labels, expected.labels),
    ...scoreProblems(actual.scores, expected.scores, tol, 'score'),
  ];
}
