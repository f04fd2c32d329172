/**
 * Weight-only 4-bit quantization: each constant-weight MatMul (and Gemm, brought to MatMul
 * form) becomes com.microsoft MatMulNBits with the inputs and attributes onnxruntime's
 * MatMul4BitsQuantizer writes: A, B [N, K/block, block/2] uint8, scales [N * K/block],
 * optional packed zero points; attributes K, N, bits = 4, block_size. Weights the precision
 * plan finds too sensitive for 4 bits take q8's int8 form (WebGPU refuses MatMulNBits with
 * bits = 8) or stay float32.
 */
import { ConvertOptionError } from '../errors.js';
import { intAttribute, makeNode, requireOpset, type NameAllocator } from '../graph/edit.js';
import { makeTensor, transpose2d } from '../onnx/tensor-data.js';
import { DataType, type GraphProto, type ModelProto, type NodeProto } from '../onnx/types.js';
import type { BlockWeightStore } from './block-weights.js';
import type { PrecisionPlan } from './precision.js';
import { rewriteWeightedMatMuls, type MatMulRewriter, type WeightedMatMul } from './weighted-matmul.js';

export interface Q4Options {
  /** Blocks without zero points (implicit 8). Default false, as onnxruntime's quantizer. */
  symmetric?: boolean;
  /** Values per block along K: a power of two, at least 16. Default 32. */
  blockSize?: number;
}

export const MICROSOFT_DOMAIN = 'com.microsoft';

class MatMulNBitsRewriter implements MatMulRewriter {
  constructor(
    private readonly names: NameAllocator,
    private readonly store: BlockWeightStore,
    private readonly plan: PrecisionPlan,
    private readonly int8: MatMulRewriter,
  ) {}

  rewrite(site: WeightedMatMul, graph: GraphProto): NodeProto[] | undefined {
    const columns = () => transpose2d(site.weight, site.k, site.n);
    const choice = this.plan.choose(site.weightName);
    if (choice.bits === 'float') return undefined;
    if (choice.bits === 'int8') return this.int8.rewrite(site, graph);
    const weight = this.store.get({
      key: site.cacheKey, name: site.weightName, graph: site.weightGraph, columns, k: site.k, n: site.n,
      bits: choice.bits, blockSize: choice.blockSize, quantized: this.plan.takeMeasured(site.weightName, site.cacheKey),
    });
    const attributes = [
      intAttribute('K', site.k),
      intAttribute('N', weight.n),
      intAttribute('bits', weight.bits),
      intAttribute('block_size', weight.blockSize),
    ];
    const base = site.node.name || site.output;
    const product = weight.n === site.n ? site.output : this.names.fresh(`${site.output}_padded`);
    const nodes = [makeNode('MatMulNBits', [site.activation, ...weight.inputs], [product], this.names.fresh(`${base}_Q${weight.bits}`), attributes, MICROSOFT_DOMAIN)];
    if (product !== site.output) nodes.push(this.sliceColumns(product, site, graph));
    return nodes;
  }

  /** The weight's own columns of a product computed with padded columns (see storedColumns). */
  private sliceColumns(product: string, site: WeightedMatMul, graph: GraphProto): NodeProto {
    const bounds = ['starts', 'ends', 'axes'].map((what) => this.names.fresh(`${site.output}_slice_${what}`));
    [0, site.n, -1].forEach((value, i) => graph.initializer.push(makeTensor(bounds[i], DataType.INT64, [1], BigInt64Array.of(BigInt(value)))));
    return makeNode('Slice', [product, ...bounds], [site.output], this.names.fresh(`${site.node.name || site.output}_slice`));
  }
}

export function checkBlockSize(blockSize: number): void {
  if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) {
    throw new ConvertOptionError({
      option: 'blockSize',
      detail: `${blockSize} is not a power of two of at least 16`,
      hint: 'MatMulNBits kernels take block sizes 16, 32, 64, 128 or 256; use 32 (the default).',
    });
  }
}

/** Quantizes the MatMul weights of `model` in place, in the store and by the plan given. */
export function quantizeInt4(model: ModelProto, names: NameAllocator, store: BlockWeightStore, plan: PrecisionPlan, int8: MatMulRewriter): void {
  rewriteWeightedMatMuls(model, names, new MatMulNBitsRewriter(names, store, plan, int8));
  requireOpset(model, MICROSOFT_DOMAIN, 1);
}
