/**
 * Quantized embedding tables (a Gather from a constant float32 [rows, cols] table):
 * - int8 rows (q8): a Gather from an int8 table plus a Gather of per-row scales, multiplied
 *   back to float. Only standard operators, so it runs wherever Gather does. The Gather reads
 *   float32 scales: onnxruntime-web's WebGPU Gather returns zeros for a float16 table on an
 *   adapter without 'shader-f16' (1.30); the file stores them as float16 (half-scales.ts).
 * - blocks (q4, q4f16): com.microsoft GatherBlockQuantized, the form onnxruntime's
 *   MatMul4BitsQuantizer writes for Gather (uint8 data, blocks along the row, MatMulNBits
 *   nibble order), at the bits the precision plan gives the table. Its data is stored in
 *   the MatMulNBits layout and reshaped to [rows, cols·bits/8] in the graph, so a table tied
 *   to the LM head is stored once for both. Rows that are not whole blocks fall back to int8 rows.
 * A table read by a Gather and (transposed) by the LM head's MatMul is tied: it is quantized
 * whenever the MatMul is, so the file holds one copy. Other tables only when asked.
 */
import { attribute } from '../graph/elem-types.js';
import {
  NameAllocator,
  findFloatMatrix,
  intAttribute,
  isOnnxDomain,
  makeNode,
  pruneUnusedInitializers,
  requireOpset,
  type ScopedInitializer,
} from '../graph/edit.js';
import { subgraphsOf } from '../graph/walk.js';
import { makeTensor, readFloat32 } from '../onnx/tensor-data.js';
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../onnx/types.js';
import type { BlockWeight, BlockWeightStore } from './block-weights.js';
import type { PrecisionPlan } from './precision.js';
import { MICROSOFT_DOMAIN } from './q4.js';
import { quantizeInt8Rows } from './quant-math.js';
import { tableKey } from './weighted-matmul.js';

/** int8 rows of a table: values [rows, cols] int8, scales [rows, 1] float32. */
export interface Int8Rows {
  values: string;
  scales: string;
}

export interface GatherOptions {
  /** Quantize every embedding table, or only the tables tied to a weighted MatMul. */
  all: boolean;
  /** Names of the tables that a MatMul also reads (transposed). */
  tied: ReadonlySet<string>;
  /** Decides each table's precision (a tied table's is its LM head's). */
  plan: PrecisionPlan;
  /** Block-quantized tables (q4, q4f16); without it, int8 rows (q8). */
  store?: BlockWeightStore;
  /** int8 row tables written, by table name (q8 reuses them for a tied LM head). */
  rows?: Map<string, Int8Rows>;
}

class GatherQuantizer {
  private readonly rows: Map<string, Int8Rows>;

  constructor(private readonly names: NameAllocator, private readonly options: GatherOptions) {
    this.rows = options.rows ?? new Map();
  }

  private int8Rows(tensor: TensorProto, home: GraphProto): Int8Rows {
    const cached = this.rows.get(tensor.name);
    if (cached) return cached;
    const [rows, cols] = tensor.dims;
    const { values, scales } = quantizeInt8Rows(readFloat32(tensor), rows, cols);
    const table = { values: this.names.fresh(`${tensor.name}_quantized`), scales: this.names.fresh(`${tensor.name}_row_scales`) };
    home.initializer.push(
      makeTensor(table.values, DataType.INT8, [rows, cols], values),
      makeTensor(table.scales, DataType.FLOAT, [rows, 1], scales),
    );
    this.rows.set(tensor.name, table);
    return table;
  }

  private reshaped(name: string, dims: number[], home: GraphProto, nodes: NodeProto[]): string {
    const shape = this.names.fresh(`${name}_gather_shape`);
    const out = this.names.fresh(`${name}_gather_layout`);
    home.initializer.push(makeTensor(shape, DataType.INT64, [dims.length], BigInt64Array.from(dims, BigInt)));
    nodes.push(makeNode('Reshape', [name, shape], [out], this.names.fresh(`${out}_reshape`)));
    return out;
  }

  private gatherBlocks(node: NodeProto, weight: BlockWeight, home: GraphProto): NodeProto[] {
    const nodes: NodeProto[] = [];
    const { n: rows, k: cols, bits, blocksPerColumn } = weight;
    const [data, scales, zeroPoints] = weight.inputs;
    const inputs = [
      this.reshaped(data, [rows, (cols * bits) / 8], home, nodes),
      node.input[1],
      this.reshaped(scales, [rows, blocksPerColumn], home, nodes),
    ];
    if (zeroPoints) inputs.push(this.reshaped(zeroPoints, [rows, Math.ceil((blocksPerColumn * bits) / 8)], home, nodes));
    const attributes = [
      intAttribute('gather_axis', 0),
      intAttribute('quantize_axis', 1),
      intAttribute('block_size', weight.blockSize),
      intAttribute('bits', bits),
    ];
    nodes.push(makeNode('GatherBlockQuantized', inputs, [node.output[0]], this.names.fresh(`${node.name || node.output[0]}_Q${bits}`), attributes, MICROSOFT_DOMAIN));
    return nodes;
  }

  private gatherRows(node: NodeProto, table: Int8Rows): NodeProto[] {
    const out = node.output[0];
    const indices = node.input[1];
    const base = node.name || out;
    const values = this.names.fresh(`${out}_quantized`);
    const scales = this.names.fresh(`${out}_row_scales`);
    const asFloat = this.names.fresh(`${out}_cast_output`);
    return [
      makeNode('Gather', [table.values, indices], [values], this.names.fresh(`${base}_quant`), [intAttribute('axis', 0)]),
      makeNode('Gather', [table.scales, indices], [scales], this.names.fresh(`${base}_quant_scales`), [intAttribute('axis', 0)]),
      makeNode('Cast', [values], [asFloat], this.names.fresh(`${base}_quant_cast`), [intAttribute('to', DataType.FLOAT)]),
      makeNode('Mul', [asFloat, scales], [out], this.names.fresh(`${base}_quant_scale_mul`)),
    ];
  }

  private replacement(node: NodeProto, found: ScopedInitializer): NodeProto[] {
    const { tensor, graph } = found;
    const [rows, cols] = tensor.dims;
    const columns = () => readFloat32(tensor);
    const key = tableKey(tensor.name);
    const choice = this.options.plan.choose(tensor.name);
    // A table the plan keeps in float32 stays as it is (a tied one: one float32 copy, read by the LM head too).
    if (choice.bits === 'float') return [node];
    const store = this.options.store;
    if (!store || choice.bits === 'int8') return this.gatherRows(node, this.int8Rows(tensor, graph));
    const weight = store.get({
      key, name: tensor.name, graph, columns, k: cols, n: rows, bits: choice.bits, blockSize: choice.blockSize,
      quantized: this.options.plan.takeMeasured(tensor.name, key),
    });
    return this.gatherBlocks(node, weight, graph);
  }

  rewriteGraph(graph: GraphProto, scopes: GraphProto[]): void {
    const inner = [...scopes, graph];
    const nodes: NodeProto[] = [];
    for (const node of graph.node) {
      for (const sub of subgraphsOf(node)) this.rewriteGraph(sub, inner);
      const found = embeddingOf(node, inner);
      if (found && (this.options.all || this.options.tied.has(found.tensor.name))) nodes.push(...this.replacement(node, found));
      else nodes.push(node);
    }
    graph.node = nodes;
  }
}

function embeddingOf(node: NodeProto, scopes: GraphProto[]): ScopedInitializer | undefined {
  if (node.opType !== 'Gather' || !isOnnxDomain(node)) return undefined;
  if ((attribute(node, 'axis')?.i ?? 0n) !== 0n) return undefined;
  return findFloatMatrix(scopes, node.input[0]);
}

/** Names of the initializers that some Gather reads as an embedding table. */
export function embeddingTables(model: ModelProto): Set<string> {
  const tables = new Set<string>();
  const visit = (graph: GraphProto, scopes: GraphProto[]): void => {
    const inner = [...scopes, graph];
    for (const node of graph.node) {
      for (const sub of subgraphsOf(node)) visit(sub, inner);
      const found = embeddingOf(node, inner);
      if (found) tables.add(found.tensor.name);
    }
  };
  visit(model.graph, []);
  return tables;
}

/** Quantizes the embedding tables of `model` in place. */
export function quantizeGathers(model: ModelProto, names: NameAllocator, options: GatherOptions): void {
  new GatherQuantizer(names, options).rewriteGraph(model.graph, []);
  pruneUnusedInitializers(model.graph);
  if (options.store) requireOpset(model, MICROSOFT_DOMAIN, 1);
}
