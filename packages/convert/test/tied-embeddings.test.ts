/**
 * GPT-2 ties its token embeddings to the LM head: the exported graph reads one initializer
 * through a Gather and, transposed, through the LM head's MatMul. Every quantized variant must
 * store that table once (issue 7's size bars); whether it runs right is checked against the
 * goldens in variants.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { storedColumns } from '../src/variants/block-weights.js';
import { decodeModel } from '../src/onnx/codec.js';
import { allGraphs } from '../src/graph/walk.js';
import { payloadBytes } from '../src/onnx/tensor-data.js';
import { DataType } from '../src/onnx/types.js';
import { quantize, type QuantizeOptions } from '../src/index.js';
import { listFixtures, readFixtureFiles } from './fixture-runner.js';

const fixture = listFixtures().find((f) => f.name === 'tiny-random-gpt2')!;
const fp32 = readFixtureFiles(fixture)['onnx/model.onnx'];
const TABLE = 'm.transformer.wte.weight';

function initializers(bytes: Uint8Array) {
  return allGraphs(decodeModel(bytes).graph).flatMap((g) => g.initializer);
}

const table = initializers(fp32).find((t) => t.name === TABLE)!;
const tableBytes = payloadBytes(table);

describe.each<QuantizeOptions>([
  { dtype: 'q8' },
  { dtype: 'q4' },
  { dtype: 'q4f16' },
  { dtype: 'q4', strictDtype: true },
])('$dtype (strict: $strictDtype)', (options) => {
  const inits = initializers(quantize(fp32, options));

  test('stores the tied table once, quantized, and no float copy of it', () => {
    expect(inits.some((t) => (t.dataType === DataType.FLOAT || t.dataType === DataType.FLOAT16) && payloadBytes(t) >= tableBytes / 4)).toBe(false);
    const large = inits.filter((t) => payloadBytes(t) >= tableBytes / 16);
    const data = large.filter((t) => t.dataType === DataType.INT8 || t.dataType === DataType.UINT8);
    expect(data).toHaveLength(1);
    const bits = options.dtype === 'q8' ? 8 : 4;
    // 4-bit blocks with zero points store rows up to a multiple of 4 (storedColumns: WebGPU reads zero points as u32).
    const rows = options.dtype === 'q8' ? table.dims[0] : storedColumns(table.dims[0], false);
    expect(payloadBytes(data[0])).toBe((rows * table.dims[1] * bits) / 8);
  });
});

test('a tied table the plan cannot block-quantize is one int8-row copy for both readers (q4: the LM head takes q8\'s form)', () => {
  // BART's 8-wide rows are not whole 16-value blocks: int8 rows (1.5 bytes per value with their scales) are the smallest
  // form both readers can share; the Gather reads them, the LM head's MatMulInteger reads them through Transpose.
  const bart = listFixtures().find((f) => f.name === 'tiny-random-bart')!;
  const decoder = readFixtureFiles(bart)['onnx/decoder_model_merged.onnx'];
  const shared = initializers(decoder).find((t) => t.name === 'w1_m.model.shared.weight')!;
  const quantized = quantize(decoder, { dtype: 'q4' });
  const inits = initializers(quantized);
  const copies = inits.filter((t) => t.dims[0] === shared.dims[0] && t.dims[1] === shared.dims[1]);
  expect(copies.map((t) => t.dataType)).toEqual([DataType.INT8]);
  expect(payloadBytes(copies[0])).toBe(payloadBytes(shared) / 4);
  const nodes = allGraphs(decodeModel(quantized).graph).flatMap((g) => g.node);
  const transposed = nodes.filter((n) => n.opType === 'Transpose' && n.input[0] === copies[0].name).map((n) => n.output[0]);
  expect(nodes.some((n) => n.opType === 'MatMulInteger' && transposed.includes(n.input[1]))).toBe(true);
  expect(nodes.some((n) => n.opType === 'Gather' && n.input[0] === copies[0].name)).toBe(true);
});
