/**
 * Reading the Python-transformers goldens of test/fixtures/models and comparing our tensors
 * with them (schema: test/fixtures/models/README.md). Node only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Tensor } from '../../src/utils/tensor.js';

export const MODEL_FIXTURES = fileURLToPath(new URL('../fixtures/models/', import.meta.url));

export function readFixtureJSON<T = any>(model: string, file: string): T {
  return JSON.parse(readFileSync(`${MODEL_FIXTURES}${model}/${file}`, 'utf8')) as T;
}

export function readFixtureBytes(model: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(`${MODEL_FIXTURES}${model}/${file}`));
}

export interface GoldenSummary {
  sum: number; l2: number; min: number; max: number; mean_abs: number;
  first8: number[]; argmax_last_axis: unknown; max_last_axis: unknown;
}
export type GoldenTensor = { shape: number[]; data: unknown } | { shape: number[]; summary: GoldenSummary };

export function int64(rows: number[][]): Tensor {
  return new Tensor('int64', rows.flat().map(BigInt), [rows.length, rows[0].length]);
}

/** Golden floats are strings for non-finite values. */
function num(v: unknown): number {
  return typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : (v as number);
}

export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<unknown>, tol: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - num(expected[i]));
    if (!(d <= worst)) { worst = d; at = i; }
  }
  expect(worst, `${what}: max |diff| at flat index ${at}`).toBeLessThanOrEqual(tol);
}

/** Last-axis argmax / max of a float tensor, nested like the golden's `argmax_last_axis`. */
function lastAxis(tensor: Tensor): { argmax: number[]; max: number[] } {
  const width = tensor.dims[tensor.dims.length - 1];
  const data = tensor.data as Float32Array;
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

export function expectTensorMatchesGolden(actual: Tensor, golden: GoldenTensor, tol: number, what: string): void {
  expect(actual.dims, `${what}: shape`).toEqual(golden.shape);
  const data = actual.data as Float32Array;
  if ('data' in golden) {
    const flat = (golden.data as unknown[]).flat(Infinity) as unknown[];
    expectAllClose(data, flat, tol, what);
    const expectedArgmax = lastAxis(new Tensor('float32', Float32Array.from(flat.map(num)), golden.shape)).argmax;
    expect(lastAxis(actual).argmax, `${what}: argmax`).toEqual(expectedArgmax);
    return;
  }
  const s = golden.summary;
  let sum = 0, sq = 0, absSum = 0, min = Infinity, max = -Infinity;
  for (const v of data) { sum += v; sq += v * v; absSum += Math.abs(v); min = Math.min(min, v); max = Math.max(max, v); }
  expect(Math.abs(sum - s.sum), `${what}: sum`).toBeLessThanOrEqual(Math.max(tol, 1e-4 * Math.abs(s.sum)));
  expect(Math.abs(Math.sqrt(sq) - s.l2), `${what}: l2`).toBeLessThanOrEqual(1e-4 * s.l2);
  expect(Math.abs(absSum / data.length - s.mean_abs), `${what}: mean_abs`).toBeLessThanOrEqual(1e-4 * s.mean_abs + 1e-6);
  expect(Math.abs(min - s.min), `${what}: min`).toBeLessThanOrEqual(tol);
  expect(Math.abs(max - s.max), `${what}: max`).toBeLessThanOrEqual(tol);
  expectAllClose(data.subarray(0, 8), s.first8, tol, `${what}: first8`);
  const { argmax, max: maxes } = lastAxis(actual);
  expect(argmax, `${what}: argmax_last_axis`).toEqual((s.argmax_last_axis as unknown[]).flat(Infinity));
  expectAllClose(maxes, (s.max_last_axis as unknown[]).flat(Infinity) as unknown[], tol, `${what}: max_last_axis`);
}

/** Serve the fixture folders as local models (Node filesystem), never the network. */
export async function useLocalFixtureModels(): Promise<void> {
  const { env } = await import('../../src/env.js');
  env.localModelPath = MODEL_FIXTURES;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
}

/** A Python string index (code points) as a UTF-16 index into the same JS string. */
export function utf16Index(text: string, codePointIndex: number): number {
  return [...text].slice(0, codePointIndex).join('').length;
}
