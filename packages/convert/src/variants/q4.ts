/**
 * Weight-only 4-bit quantization: each constant-weight MatMul (and Gemm, brought to MatMul
 * form) becomes com.microsoft MatMulNBits with the inputs and attributes onnxruntime's
 * MatMul4BitsQuantizer writes: A, B [N, K/block, block/2] uint8, scales [N * K/block],
 * optional packed zero points; attributes K, N, bits = 4, block_size.
 */
import { ConvertOptionError } from '../errors.js';
import { NameAllocator, intAttribute, makeNode, requireOpset } from '../graph/edit.js';
import { makeTensor } from '../onnx/tensor-data.js';
import { DataType, type ModelProto, type NodeProto } from '../onnx/types.js';
import { quantizeInt4Blocks } from './quant-math.js';
import { rewriteWeightedMatMuls, type MatMulRewriter, type WeightedMatMul } from './weighted-matmul.js';

export interface Q4Options {
  /** Blocks without zero points (implicit 8). Default false, as onnxruntime's quantizer. */
  symmetric?: boolean;
  /** Values per block along K: a power of two, at least 16. Default 32. */
  blockSize?: number;
}

export const MICROSOFT_DOMAIN = 'com.microsoft';

class MatMulNBitsRewriter implements MatMulRewriter {
  private readonly weights = new Map<string, string[]>();

  constructor(
    private readonly names: NameAllocator,
    private readonly blockSize: number,
    private readonly symmetric: boolean,
  ) {}

  private weight(site: WeightedMatMul): string[] {
    const cached = this.weights.get(site.cacheKey);
    if (cached) return cached;
    const q = quantizeInt4Blocks(site.weight, site.k, site.n, this.blockSize, this.symmetric);
    const values = this.names.fresh(`${site.weightName}_Q4`);
    const scales = this.names.fresh(`${site.weightName}_scales`);
    const inputs = [values, scales];
    site.weightGraph.initializer.push(
      makeTensor(values, DataType.UINT8, [site.n, q.blocksPerColumn, this.blockSize / 2], q.packed),
      makeTensor(scales, DataType.FLOAT, [q.scales.length], q.scales),
    );
    if (q.zeroPoints) {
      const zeroPoints = this.names.fresh(`${site.weightName}_zero_points`);
      site.weightGraph.initializer.push(makeTensor(zeroPoints, DataType.UINT8, [q.zeroPoints.length], q.zeroPoints));
      inputs.push(zeroPoints);
    }
    this.weights.set(site.cacheKey, inputs);
    return inputs;
  }

  rewrite(site: WeightedMatMul): NodeProto[] {
    const attributes = [
      intAttribute('K', site.k),
      intAttribute('N', site.n),
      intAttribute('bits', 4),
      intAttribute('block_size', this.blockSize),
    ];
    const name = this.names.fresh(`${site.node.name || site.output}_Q4`);
    return [makeNode('MatMulNBits', [site.activation, ...this.weight(site)], [site.output], name, attributes, MICROSOFT_DOMAIN)];
  }
}

/** Quantizes `model` in place. */
export function quantizeInt4(model: ModelProto, options: Q4Options = {}): void {
  const blockSize = options.blockSize ?? 32;
  if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) {
    throw new ConvertOptionError({
      option: 'blockSize',
      detail: `${blockSize} is not a power of two of at least 16`,
      hint: 'MatMulNBits kernels take block sizes 16, 32, 64, 128 or 256; use 32 (the default).',
    });
  }
  const names = new NameAllocator(model.graph);
  rewriteWeightedMatMuls(model, names, new MatMulNBitsRewriter(names, blockSize, options.symmetric ?? false));
  requireOpset(model, MICROSOFT_DOMAIN, 1);
}
