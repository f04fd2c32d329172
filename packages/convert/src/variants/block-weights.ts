/**
 * Block-quantized weights in the layout MatMulNBits reads (B [N, blocks, blockSize·bits/8]
 * uint8, scales [N·blocks], zero points [N·ceil(blocks·bits/8)]), written once per weight and
 * shared by every node that reads it: the MatMulNBits of each If branch, and, for a table tied
 * to an LM head, the GatherBlockQuantized that reads the same bytes as its rows.
 */
import { ConvertOptionError } from '../errors.js';
import type { NameAllocator } from '../graph/edit.js';
import { makeTensor } from '../onnx/tensor-data.js';
import { DataType, type GraphProto } from '../onnx/types.js';
import type { WeightCalibration } from './gptq.js';
import { quantizeColumnBlocks, type BlockBits, type BlockQuantized } from './quant-math.js';

/**
 * Columns stored for n columns: onnxruntime-web's WebGPU MatMulNBits (1.30) views zero points as
 * u32 words and refuses the session ("cannot convert shape") unless their bytes, N x
 * ceil(blocks·bits/8), are a multiple of 4, and its CPU kernel refuses zero points longer than
 * that. So a weight with zero points gets zero columns up to a multiple of 4 (only tiny models
 * need them; the reader slices the output back).
 */
export function storedColumns(n: number, symmetric: boolean): number {
  return symmetric ? n : Math.ceil(n / 4) * 4;
}

export interface BlockWeight {
  bits: BlockBits;
  blockSize: number;
  /** K: values per column (a table's row width). */
  k: number;
  /** N: columns stored (a table's rows), at least the weight's (see storedColumns). */
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

function paddedColumns(columns: Float32Array, k: number, n: number): Float32Array {
  const padded = new Float32Array(k * n);
  padded.set(columns);
  return padded;
}

export class BlockWeightStore {
  private readonly weights = new Map<string, BlockWeight>();

  constructor(private readonly names: NameAllocator, private readonly symmetric: boolean, private readonly calibration?: WeightCalibration) {}

  get(request: BlockRequest): BlockWeight {
    const cached = this.weights.get(request.key);
    if (cached) return cached;
    const { k, bits, blockSize } = request;
    const n = storedColumns(request.n, this.symmetric);
    const factor = this.calibration?.get(request.key);
    if (factor && factor.length !== k * k) {
      throw new ConvertOptionError({
        option: 'calibration',
        detail: `weight "${request.name}" has ${k} inputs, its calibration is for ${Math.round(Math.sqrt(factor.length))}`,
        hint: 'Pass the calibration of the model being converted (calibrateGraphs on its float32 graphs, by graph).',
      });
    }
    // The plan's measured blocks are rounded to nearest: a calibrated weight is quantized again.
    const measured = factor ? undefined : request.quantized;
    const q = n === request.n
      ? measured ?? quantizeColumnBlocks(request.columns(), k, n, blockSize, bits, this.symmetric, factor)
      : quantizeColumnBlocks(paddedColumns(request.columns(), k, n), k, n, blockSize, bits, this.symmetric, factor);
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

  /** Initializer names of every scale tensor written. */
  scaleNames(): string[] {
    return [...this.weights.values()].map((w) => w.inputs[1]);
  }
}
