/**
 * Quantized embedding tables (a Gather from a constant float32 [rows, cols] table):
 * - 8 bits: a Gather from an int8 table plus a Gather of per-row scales, multiplied back to
 *   float. Only standard operators, so it runs wherever Gather does.
 * - 4 bits: com.microsoft GatherBlockQuantized, the form onnxruntime's MatMul4BitsQuantizer
 *   writes for Gather (uint8 data, two values per byte along the row, MatMulNBits nibble
 *   order, blocks along the row). Tables whose rows are not whole blocks fall back to 8 bits.
 * Tiny models are dominated by their embeddings; large ones by their MatMul weights.
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
import { MICROSOFT_DOMAIN } from './q4.js';
import { quantizeInt4Columns, quantizeInt8Rows } from './quant-math.js';

export interface GatherOptions {
  /** 8 (default) or 4. */
  bits?: 4 | 8;
  /** 4 bits: values per block along a row (a power of two, at least 16). Default 32. */
  blockSize?: number;
  /** 4 bits: blocks without zero points. Default false. */
  symmetric?: boolean;
}

interface QuantizedTable {
  bits: 4 | 8;
  blockSize: number;
  inputs: string[];
}

class GatherQuantizer {
  private readonly tables = new Map<string, QuantizedTable>();

  constructor(private readonly names: NameAllocator, private readonly options: GatherOptions) {}

  /** Block size for a 4-bit table with rows of `cols` values, or undefined when 4 bits do not fit. */
  private blockFor(cols: number): number | undefined {
    if (this.options.bits !== 4) return undefined;
    for (let block = this.options.blockSize ?? 32; block >= 16; block /= 2) if (cols % block === 0) return block;
    return undefined;
  }

  private table(tensor: TensorProto, home: GraphProto): QuantizedTable {
    const cached = this.tables.get(tensor.name);
    if (cached) return cached;
    const block = this.blockFor(tensor.dims[1]);
    const table = block ? this.int4Table(tensor, home, block) : this.int8Table(tensor, home);
    this.tables.set(tensor.name, table);
    return table;
  }

  private int8Table(tensor: TensorProto, home: GraphProto): QuantizedTable {
    const [rows, cols] = tensor.dims;
    const { values, scales } = quantizeInt8Rows(readFloat32(tensor), rows, cols);
    const inputs = [this.names.fresh(`${tensor.name}_quantized`), this.names.fresh(`${tensor.name}_row_scales`)];
    home.initializer.push(
      makeTensor(inputs[0], DataType.INT8, [rows, cols], values),
      makeTensor(inputs[1], DataType.FLOAT, [rows, 1], scales),
    );
    return { bits: 8, blockSize: cols, inputs };
  }

  private int4Table(tensor: TensorProto, home: GraphProto, block: number): QuantizedTable {
    const [rows, cols] = tensor.dims;
    // A table row plays the part of a MatMulNBits weight column.
    const q = quantizeInt4Columns(readFloat32(tensor), cols, rows, block, this.options.symmetric ?? false);
    const inputs = [this.names.fresh(`${tensor.name}_Q4`), this.names.fresh(`${tensor.name}_scales`)];
    home.initializer.push(
      makeTensor(inputs[0], DataType.UINT8, [rows, cols / 2], q.packed),
      makeTensor(inputs[1], DataType.FLOAT, [rows, q.blocksPerColumn], q.scales),
    );
    if (q.zeroPoints) {
      inputs.push(this.names.fresh(`${tensor.name}_zero_points`));
      home.initializer.push(makeTensor(inputs[2], DataType.UINT8, [rows, Math.ceil(q.blocksPerColumn / 2)], q.zeroPoints));
    }
    return { bits: 4, blockSize: block, inputs };
  }

  private replacement(node: NodeProto, table: QuantizedTable): NodeProto[] {
    const out = node.output[0];
    const indices = node.input[1];
    const base = node.name || out;
    if (table.bits === 4) {
      const [data, scales, zeroPoints] = table.inputs;
      const attributes = [
        intAttribute('gather_axis', 0),
        intAttribute('quantize_axis', 1),
        intAttribute('block_size', table.blockSize),
        intAttribute('bits', 4),
      ];
      const inputs = zeroPoints ? [data, indices, scales, zeroPoints] : [data, indices, scales];
      return [makeNode('GatherBlockQuantized', inputs, [out], this.names.fresh(`${base}_Q4`), attributes, MICROSOFT_DOMAIN)];
    }
    const [tableValues, tableScales] = table.inputs;
    const values = this.names.fresh(`${out}_quantized`);
    const scales = this.names.fresh(`${out}_row_scales`);
    const asFloat = this.names.fresh(`${out}_cast_output`);
    return [
      makeNode('Gather', [tableValues, indices], [values], this.names.fresh(`${base}_quant`), [intAttribute('axis', 0)]),
      makeNode('Gather', [tableScales, indices], [scales], this.names.fresh(`${base}_quant_scales`), [intAttribute('axis', 0)]),
      makeNode('Cast', [values], [asFloat], this.names.fresh(`${base}_quant_cast`), [intAttribute('to', DataType.FLOAT)]),
      makeNode('Mul', [asFloat, scales], [out], this.names.fresh(`${base}_quant_scale_mul`)),
    ];
  }

  rewriteGraph(graph: GraphProto, scopes: GraphProto[]): void {
    const inner = [...scopes, graph];
    const nodes: NodeProto[] = [];
    for (const node of graph.node) {
      for (const sub of subgraphsOf(node)) this.rewriteGraph(sub, inner);
      const found = this.embeddingOf(node, inner);
      if (found) nodes.push(...this.replacement(node, this.table(found.tensor, found.graph)));
      else nodes.push(node);
    }
    graph.node = nodes;
  }

  private embeddingOf(node: NodeProto, scopes: GraphProto[]): ScopedInitializer | undefined {
    if (node.opType !== 'Gather' || !isOnnxDomain(node)) return undefined;
    if ((attribute(node, 'axis')?.i ?? 0n) !== 0n) return undefined;
    return findFloatMatrix(scopes, node.input[0]);
  }
}

/** Quantizes the embedding tables of `model` in place. */
export function quantizeGathers(model: ModelProto, options: GatherOptions = {}): void {
  new GatherQuantizer(new NameAllocator(model.graph), options).rewriteGraph(model.graph, []);
  pruneUnusedInitializers(model.graph);
  if (options.bits === 4) requireOpset(model, MICROSOFT_DOMAIN, 1);
}
