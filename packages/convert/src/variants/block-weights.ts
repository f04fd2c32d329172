/**
 * Block-quantized weights in the layout MatMulNBits reads (B [N, blocks, blockSize·bits/8]
 * uint8, scales [N·blocks], zero points [N·ceil(blocks·bits/8)]), written once per weight and
 * shared by every node that reads it: the MatMulNBits of each If branch, and, for a table tied
 * to an LM head, the GatherBlockQuantized that reads the same bytes as its rows.
 */
import type { NameAllocator } from '../graph/edit.js';
import { makeTensor } from '../onnx/tensor-data.js';
import { DataType, type GraphProto } from '../onnx/types.js';
import { quantizeColumnBlocks, type BlockBits, type BlockQuantized } from './quant-math.js';

export interface BlockWeight {
  bits: BlockBits;
  blockSize: number;
  /** K: values per column (a table's row width). */
  k: number;
  /** N: columns (a table's rows). */
  n: number;
  blocksPerColumn: number;
  /** Initializer names: data, scales and, unless symmetric, zero points. */
  inputs: string[];
}

export interface BlockRequest {
  /** Identifies the columns (WeightedMatMul.cacheKey, or tableKey() for a table). */
  key: string;
  /** Base of the new initializer names. */
  name: string;
  /** Where the initializers go. */
  graph: GraphProto;
  /** The weight's columns one after another: [n, k] row-major. */
  columns: () => Float32Array;
  k: number;
  n: number;
  bits: BlockBits;
  blockSize: number;
  /** The blocks, when already computed for exactly this request. */
  quantized?: BlockQuantized;
}

export class BlockWeightStore {
  private readonly weights = new Map<string, BlockWeight>();

  constructor(private readonly names: NameAllocator, private readonly symmetric: boolean) {}

  get(request: BlockRequest): BlockWeight {
    const cached = this.weights.get(request.key);
    if (cached) return cached;
    const { k, n, bits, blockSize } = request;
    const q = request.quantized ?? quantizeColumnBlocks(request.columns(), k, n, blockSize, bits, this.symmetric);
    const tag = bits === 4 ? 'Q4' : 'Q8';
    const inputs = [this.names.fresh(`${request.name}_${tag}`), this.names.fresh(`${request.name}_scales`)];
    request.graph.initializer.push(
      makeTensor(inputs[0], DataType.UINT8, [n, q.blocksPerColumn, (blockSize * bits) / 8], q.packed),
      makeTensor(inputs[1], DataType.FLOAT, [q.scales.length], q.scales),
    );
    if (q.zeroPoints) {
      inputs.push(this.names.fresh(`${request.name}_zero_points`));
      request.graph.initializer.push(makeTensor(inputs[2], DataType.UINT8, [q.zeroPoints.length], q.zeroPoints));
    }
    const weight: BlockWeight = { bits, blockSize, k, n, blocksPerColumn: q.blocksPerColumn, inputs };
    this.weights.set(request.key, weight);
    return weight;
  }
}
