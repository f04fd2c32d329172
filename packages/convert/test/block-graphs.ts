/**
 * One-node q4 graphs whose K (or table row) is a multiple of 16 but not of 32, so they take
 * 16-value blocks, and the float reference of each: the activation times the weights read back
 * from the stored blocks, in float64. A kernel that reads the blocks right gives the reference
 * up to float32 rounding. Shared by the Node test (wasm) and e2e/variants.spec.ts (Chromium).
 */
import { decodeModel, encodeModel } from '../src/onnx/codec.js';
import { fromFloat16Array } from '../src/onnx/float16.js';
import { readFloat32 } from '../src/onnx/tensor-data.js';
import { DataType, type GraphProto, type NodeProto } from '../src/onnx/types.js';
import { quantize } from '../src/index.js';
import { makeNode } from '../src/graph/edit.js';
import { buildModel, makeTensor, singleNodeModel, valueInfo } from './model-builder.js';

export interface BlockGraph {
  name: string;
  /** The q4 model. */
  model: number[];
  /** Its one input: float32 activations [m, k], or int64 ids (as numbers) [m, ids]. */
  input: { name: string; type: 'float32' | 'int64'; dims: number[]; data: number[] };
  /** The expected output, row-major, and its dims. */
  expected: { dims: number[]; data: number[] };
}

const wave = (length: number, step: number, scale: number) => Float32Array.from({ length }, (_, i) => Math.sin(i * step + 0.3) * scale);

function nodeOf(graph: GraphProto, opType: string): NodeProto {
  const node = graph.node.find((n) => n.opType === opType);
  if (!node) throw new Error(`no ${opType} in the q4 graph: ${graph.node.map((n) => n.opType).join(', ')}`);
  return node;
}

/**
 * An initializer by name, looking through the Reshape that gives a table's blocks their Gather
 * layout and the Cast that brings float16-stored scales back to float32.
 */
function storedBytes(graph: GraphProto, name: string): Uint8Array | Float32Array {
  const producer = graph.node.find((n) => (n.opType === 'Reshape' || n.opType === 'Cast') && n.output[0] === name);
  if (producer) return storedBytes(graph, producer.input[0]);
  const tensor = graph.initializer.find((t) => t.name === name);
  if (!tensor) throw new Error(`no initializer behind ${name}`);
  if (tensor.dataType === DataType.FLOAT16) return fromFloat16Array(new Uint16Array(tensor.rawData!.slice().buffer));
  return tensor.dataType === DataType.FLOAT ? readFloat32(tensor) : tensor.rawData!;
}

/**
 * The [n, k] weights that blocks of `blockSize` along k hold: B [n, blocks, blockSize/2] (low
 * nibble first), scales [n·blocks], zero points [n, ceil(blocks/2)] (low nibble first; 8 when absent).
 */
function dequantizedColumns(graph: GraphProto, inputs: string[], n: number, k: number, blockSize: number): Float64Array {
  const [data, scales, zeroPoints] = inputs.map((name) => (name ? storedBytes(graph, name) : undefined));
  const blocks = k / blockSize;
  const nibble = (bytes: Uint8Array | Float32Array, i: number) => (bytes[i >> 1] >> ((i & 1) * 4)) & 15;
  const out = new Float64Array(n * k);
  for (let col = 0; col < n; col++) {
    for (let i = 0; i < k; i++) {
      const block = Math.floor(i / blockSize);
      const zp = zeroPoints ? nibble(zeroPoints, col * 2 * Math.ceil(blocks / 2) + block) : 8;
      out[col * k + i] = (nibble(data!, col * k + i) - zp) * scales![col * blocks + block];
    }
  }
  return out;
}

const intAttr = (node: NodeProto, name: string) => Number(node.attribute.find((a) => a.name === name)!.i);

/** A [k, n] MatMul weight as MatMulNBits, and m activation rows. */
export function matMulBlockGraph(m: number, k: number, n: number, symmetric: boolean): BlockGraph {
  const fp32 = singleNodeModel('MatMul', [valueInfo('a', DataType.FLOAT)], [valueInfo('y', DataType.FLOAT)], [], [makeTensor('w', DataType.FLOAT, [k, n], wave(k * n, 0.37, 0.1))]);
  const model = quantize(fp32, { dtype: 'q4', strictDtype: true, symmetric });
  const graph = decodeModel(model).graph;
  const node = nodeOf(graph, 'MatMulNBits');
  const w = dequantizedColumns(graph, node.input.slice(1), intAttr(node, 'N'), k, intAttr(node, 'block_size'));
  const a = wave(m * k, 0.71, 1);
  const y = Array.from({ length: m * n }, (_, i) => {
    const [row, col] = [Math.floor(i / n), i % n];
    let sum = 0;
    for (let j = 0; j < k; j++) sum += a[row * k + j] * w[col * k + j];
    return sum;
  });
  return {
    name: `MatMulNBits m=${m} k=${k} n=${n}${symmetric ? ' symmetric' : ''}`,
    model: [...model],
    input: { name: 'a', type: 'float32', dims: [m, k], data: [...a] },
    expected: { dims: [m, n], data: y },
  };
}

/** A [rows, cols] embedding table as GatherBlockQuantized, read at `ids`. */
export function gatherBlockGraph(rows: number, cols: number, ids: number[][]): BlockGraph {
  const gather = makeNode('Gather', ['table', 'ids'], ['y'], 'the_Gather');
  const fp32 = encodeModel(buildModel({
    nodes: [gather],
    inputs: [valueInfo('ids', DataType.INT64)],
    outputs: [valueInfo('y', DataType.FLOAT)],
    initializers: [makeTensor('table', DataType.FLOAT, [rows, cols], wave(rows * cols, 0.53, 0.2))],
  }));
  const model = quantize(fp32, { dtype: 'q4', strictDtype: true, quantizeEmbeddings: true });
  const graph = decodeModel(model).graph;
  const node = nodeOf(graph, 'GatherBlockQuantized');
  const table = dequantizedColumns(graph, [node.input[0], node.input[2], node.input[3]], rows, cols, intAttr(node, 'block_size'));
  const flat = ids.flat();
  return {
    name: `GatherBlockQuantized rows=${rows} cols=${cols}`,
    model: [...model],
    input: { name: 'ids', type: 'int64', dims: [ids.length, ids[0].length], data: flat },
    expected: { dims: [ids.length, ids[0].length, cols], data: flat.flatMap((id) => [...table.subarray(id * cols, (id + 1) * cols)]) },
  };
}

/** Decode-sized (m = 1) and prefill-sized products, one and three blocks, with and without zero points, and a table. */
export function sixteenValueBlockGraphs(): BlockGraph[] {
  return [
    matMulBlockGraph(1, 16, 32, false),
    matMulBlockGraph(5, 16, 32, false),
    matMulBlockGraph(3, 48, 20, false),
    matMulBlockGraph(2, 16, 8, true),
    gatherBlockGraph(40, 16, [[0, 7, 39], [3, 3, 12]]),
  ];
}

/** The block size a graph was written with (the test asserts 16, so that it checks what it claims to). */
export function blockSizeOf(graph: BlockGraph): number {
  const nodes = decodeModel(Uint8Array.from(graph.model)).graph.node;
  const node = nodes.find((n) => n.opType === 'MatMulNBits' || n.opType === 'GatherBlockQuantized')!;
  return intAttr(node, 'block_size');
}

/** a [m, k] times w [k, n] (both row-major), in float64. */
export function matMulProduct(a: Float32Array, w: Float32Array, m: number, k: number, n: number): number[] {
  return Array.from({ length: m * n }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += a[Math.floor(i / n) * k + j] * w[j * n + (i % n)];
    return sum;
  });
}

/** Largest |actual − expected| over the largest |expected|. */
export function relativeDifference(actual: ArrayLike<number>, expected: readonly number[]): number {
  let diff = 0;
  let scale = 0;
  expected.forEach((e, i) => {
    diff = Math.max(diff, Math.abs(Number(actual[i]) - e));
    scale = Math.max(scale, Math.abs(e));
  });
  return diff / scale;
}
