/**
 * The weight quantization of the q8 and q4 variants: one precision plan per model, embedding
 * tables first (those tied to the LM head always, the others when asked), then every weighted
 * MatMul. A tied table and its LM head share one quantized copy, or one float32 copy when
 * the plan keeps the table in float32.
 */
import { NameAllocator, findFloatMatrix, isOnnxDomain, onnxOpsetVersion } from '../graph/edit.js';
import { attribute } from '../graph/elem-types.js';
import { transposedMatrix } from '../graph/fold-transpose.js';
import { subgraphsOf } from '../graph/walk.js';
import { inlinePayloadBytes } from '../onnx/external-data.js';
import { readFloat32, transpose2d } from '../onnx/tensor-data.js';
import type { GraphProto, ModelProto, TensorProto } from '../onnx/types.js';
import { BlockWeightStore } from './block-weights.js';
import type { WeightCalibration } from './gptq.js';
import { embeddingTables, quantizeGathers, type Int8Rows } from './gather.js';
import { PrecisionPlan, SCALE_BYTES, type KeptWeight, type Precision, type UpLevel, type WeightCandidate } from './precision.js';
import { checkBlockSize, quantizeInt4 } from './q4.js';
import { storeScalesAsFloat16 } from './half-scales.js';
import { DynamicInt8Rewriter, checkOpset, quantizeDynamicInt8 } from './q8.js';
import { int8RelativeError } from './quant-math.js';
import { tableKey } from './weighted-matmul.js';

export interface WeightQuantizeOptions {
  /** q8: dynamic int8 (MatMulInteger); q4: MatMulNBits blocks. */
  dtype: 'q8' | 'q4';
  /** q8: per output column scales. */
  perChannel?: boolean;
  /** q4: blocks without zero points. */
  symmetric?: boolean;
  /** q4: values per block. Default 32. */
  blockSize?: number;
  /** Quantize embedding tables that no MatMul shares too. */
  quantizeEmbeddings?: boolean;
  /** Every weight at the variant's precision (no mixed-precision plan). */
  strictDtype?: boolean;
  /** Weights stored at a higher level whatever the plan says, by initializer name. */
  keepWeights?: ReadonlyMap<string, UpLevel>;
  /** q4: error-compensated 4-bit blocks (GPTQ) for the weights it covers. */
  calibration?: WeightCalibration;
  /**
   * Block and table-row scales stored as float16 behind a Cast (half-scales.ts). Off when a float16
   * pass follows (q4f16), which converts them itself.
   */
  halfScales?: boolean;
}

export interface QuantizedWeights {
  /** Weights kept above the variant's level (by the plan or by `keepWeights`). */
  kept: KeptWeight[];
  /** The level of every weight the variant could quantize, by initializer name. */
  levels: Map<string, Precision>;
}

/**
 * Extra bytes the mixed-precision plan may spend, as a fraction of the float32 weight bytes.
 * 4-bit blocks of 32 with float16 scales and zero points take 0.145 of float32, so q4 stays
 * under issue 7's 1/5 with about a sixth of its weights moved to int8 (a larger headroom
 * would spend what the float16 scales saved: 0.04 gave bench-bert-base q4 151 MB and q4f16
 * 106 MB, against 150 and 100 with float32 scales). int8 takes 0.25 (issue 7: about 1/4), so
 * q8 only keeps small matrices (under 0.2% of the weights) in float32.
 */
export const PRECISION_HEADROOM: Record<'q8' | 'q4', number> = { q8: 0.005, q4: 0.02 };

/**
 * Issue 7 wants q4 under 1/5 of the float32 weight bytes. Where the 4-bit form alone meets
 * that, the plan spends no more than what is left below the ceiling (0.001 short of 1/5: the
 * plan counts values and scales, not the few bytes of padding columns and Slice bounds).
 */
export const Q4_WEIGHT_BAR = { bar: 0.2, ceiling: 0.199 };

/** Tables that a MatMul also reads through a Transpose (an LM head tied to the embeddings). */
function tiedTables(model: ModelProto, tables: ReadonlySet<string>): Set<string> {
  const tied = new Set<string>();
  const visit = (graph: GraphProto, scopes: GraphProto[]): void => {
    const inner = [...scopes, graph];
    const matmulWeights = new Set(graph.node.filter((n) => n.opType === 'MatMul').map((n) => n.input[1]));
    for (const node of graph.node) {
      for (const sub of subgraphsOf(node)) visit(sub, inner);
      const source = transposedMatrix(node, inner);
      if (source && tables.has(source.tensor.name) && matmulWeights.has(node.output[0])) tied.add(source.tensor.name);
    }
  };
  visit(model.graph, []);
  return tied;
}

/**
 * The weights the variant will quantize, by initializer name: MatMul / Gemm right-hand
 * sides (directly or through a Transpose) and the embedding tables in `tables`.
 */
function weightCandidates(model: ModelProto, tables: ReadonlySet<string>): WeightCandidate[] {
  const found = new Map<string, WeightCandidate>();
  const add = (tensor: TensorProto, k: number, n: number, columns: () => Float32Array, table: boolean, key?: string): void => {
    const seen = found.get(tensor.name);
    if (seen) {
      seen.readers++;
      seen.table ||= table;
      seen.matmul ||= !table;
    } else found.set(tensor.name, { name: tensor.name, k, n, columns, readers: 1, table, matmul: !table, key });
  };
  const visit = (graph: GraphProto, scopes: GraphProto[]): void => {
    const inner = [...scopes, graph];
    const transposed = new Map<string, TensorProto>();
    for (const node of graph.node) {
      for (const sub of subgraphsOf(node)) visit(sub, inner);
      const source = transposedMatrix(node, inner);
      if (source) transposed.set(node.output[0], source.tensor);
      if (node.opType === 'Gather' && tables.has(node.input[0])) {
        const t = findFloatMatrix(inner, node.input[0])!.tensor;
        add(t, t.dims[1], t.dims[0], () => readFloat32(t), true, tableKey(t.name));
      }
      if (!isOnnxDomain(node) || (node.opType !== 'MatMul' && node.opType !== 'Gemm')) continue;
      const viaTranspose = transposed.get(node.input[1]);
      if (viaTranspose && node.opType === 'MatMul') {
        add(viaTranspose, viaTranspose.dims[1], viaTranspose.dims[0], () => readFloat32(viaTranspose), false, tableKey(viaTranspose.name));
        continue;
      }
      const weight = findFloatMatrix(inner, node.input[1])?.tensor;
      if (!weight) continue;
      const transB = attribute(node, 'transB')?.i === 1n;
      const [rows, cols] = weight.dims;
      const columns = () => (transB ? readFloat32(weight) : transpose2d(readFloat32(weight), rows, cols));
      // A Gemm's quantized weight also folds alpha in, so only a MatMul's measured blocks are reused.
      add(weight, transB ? cols : rows, transB ? rows : cols, columns, false, node.opType === 'MatMul' ? weight.name : undefined);
    }
  };
  visit(model.graph, []);
  return [...found.values()];
}

/** Quantizes `model` in place; returns the level of each weight. */
export function quantizeWeights(model: ModelProto, options: WeightQuantizeOptions): QuantizedWeights {
  const blockSize = options.blockSize ?? 32;
  // q8's form (DynamicQuantizeLinear) needs opset 11, for the variant or for the weights kept at int8.
  if (options.dtype === 'q8' || [...(options.keepWeights?.values() ?? [])].includes('int8')) checkOpset(model);
  if (options.dtype === 'q4') checkBlockSize(blockSize);
  const names = new NameAllocator(model.graph);
  const tables = embeddingTables(model);
  const tied = tiedTables(model, tables);
  const perChannel = options.perChannel ?? false;
  const all = options.quantizeEmbeddings ?? false;
  const candidates = weightCandidates(model, all ? tables : tied);
  // Only blocks constrain a table's row width; q8 stores int8 rows of any width.
  if (options.dtype === 'q8') for (const c of candidates) c.table = false;
  const q8 = options.dtype === 'q8';
  // Everything the quantizers leave as it is (biases, norms, float tables, int64 constants) counts against the ceiling too.
  const totalBytes = inlinePayloadBytes(model.graph);
  const untouchedBytes = totalBytes - candidates.reduce((sum, c) => sum + c.k * c.n * 4, 0);
  const plan = new PrecisionPlan(
    {
      bits: q8 ? 8 : 4,
      // q8's form needs DynamicQuantizeLinear (opset 11).
      up: q8 || onnxOpsetVersion(model) < 11 ? 'float' : 'int8',
      int8Error: (columns, k, n) => int8RelativeError(columns, k, n, true),
      blockSize,
      wholeBlocks: !q8,
      symmetric: options.symmetric ?? false,
      strict: options.strictDtype ?? false,
      headroom: PRECISION_HEADROOM[options.dtype],
      forced: options.keepWeights,
      sizeBar: q8 ? undefined : { bar: Q4_WEIGHT_BAR.bar * totalBytes - untouchedBytes, ceiling: Q4_WEIGHT_BAR.ceiling * totalBytes - untouchedBytes },
      error: q8 ? (columns, k, n) => int8RelativeError(columns, k, n, perChannel) : undefined,
      // int8 rows of a table carry a float16 scale each.
      bytesPerValue: q8 ? (bits, _block, k) => (bits === 'float' ? 4 : 1 + SCALE_BYTES / k) : undefined,
    },
    candidates,
  );
  const rows = new Map<string, Int8Rows>();
  const scales = new Set<string>();
  if (options.dtype === 'q8') {
    quantizeGathers(model, names, { all, tied, plan, rows });
    quantizeDynamicInt8(model, names, plan, rows, { perChannel });
  } else {
    const store = new BlockWeightStore(names, options.symmetric ?? false, options.calibration);
    quantizeGathers(model, names, { all, tied, plan, store, rows });
    // Weights the plan moves up take q8's form, with a scale per output column.
    quantizeInt4(model, names, store, plan, new DynamicInt8Rewriter(names, true, plan, rows));
    for (const name of store.scaleNames()) scales.add(name);
  }
  for (const table of rows.values()) scales.add(table.scales);
  if (options.halfScales) storeScalesAsFloat16(model, names, scales);
  return { kept: plan.kept, levels: plan.levels() };
}
