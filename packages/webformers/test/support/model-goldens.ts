/**
 * Reading the Python-transformers goldens of test/fixtures/models from disk, and vitest
 * assertions over the shared comparisons of golden-compare.ts. Node only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Tensor } from '../../src/utils/tensor.js';
import { allCloseProblems, tensorProblems, type GoldenTensor, type TensorLike } from './golden-compare.js';

export { int64, utf16Index, type GoldenSummary, type GoldenTensor } from './golden-compare.js';

export const MODEL_FIXTURES = fileURLToPath(new URL('../fixtures/models/', import.meta.url));

export function readFixtureJSON<T = any>(model: string, file: string): T {
  return JSON.parse(readFileSync(`${MODEL_FIXTURES}${model}/${file}`, 'utf8')) as T;
}

export function readFixtureBytes(model: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(`${MODEL_FIXTURES}${model}/${file}`));
}

export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<unknown>, tol: number, what: string): void {
  expect(allCloseProblems(actual, expected, tol, what)).toEqual([]);
}

export function expectTensorMatchesGolden(actual: Tensor, golden: GoldenTensor, tol: number, what: string): void {
  expect(tensorProblems(actual as TensorLike, golden, tol, what)).toEqual([]);
}

/** Serve the fixture folders as local models (Node filesystem), never the network. */
export async function useLocalFixtureModels(): Promise<void> {
  const { env } = await import('../../src/env.js');
  env.localModelPath = MODEL_FIXTURES;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
}
