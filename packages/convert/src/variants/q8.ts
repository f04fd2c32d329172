/**
 * Dynamic int8 quantization, in the graph form onnxruntime's `quantize_dynamic` writes:
 * activations quantized at run time (DynamicQuantizeLinear, uint8), weights stored as int8
 * (symmetric), the product in MatMulInteger, rescaled by Cast + Mul. Every operator here is
 * standard ONNX and runs on onnxruntime-web's wasm backend (which fuses the pattern into its
 * DynamicQuantizeMatMul kernel at load time).
 */
import { ConvertOptionError } from '../errors.js';
import { intAttribute, makeNode, onnxOpsetVersion, type NameAllocator } from '../graph/edit.js';
import { makeTensor } from '../onnx/tensor-data.js';
import { DataType, type GraphProto, type ModelProto, type NodeProto } from '../onnx/types.js';
import type { Int8Rows } from './gather.js';
import type { PrecisionPlan } from './precision.js';
import { quantizeInt8Symmetric } from './quant-math.js';
import { rewriteWeightedMatMuls, type MatMulRewriter, type WeightedMatMul } from './weighted-matmul.js';

export interface Q8Options {
  /** One scale per output column instead of one per weight matrix. Default false. */
  perChannel?: boolean;
}

interface QuantizedWeight {
  values: string;
  scale: string;
  zeroPoint: string;
}

export class DynamicInt8Rewriter implements MatMulRewriter {
  private readonly weights = new Map<string, QuantizedWeight>();
  /** DynamicQuantizeLinear outputs per activation, per graph (a graph cannot see a subgraph's tensors). */
  private readonly activations = new Map<GraphProto, Map<string, string[]>>();

  constructor(
    private readonly names: NameAllocator,
    private readonly perChannel: boolean,
    private readonly plan: PrecisionPlan,
    private readonly tables: ReadonlyMap<string, Int8Rows>,
  ) {}

  /**
   * An LM head tied to an int8-row table reads that table transposed: its rows' scales are
   * per-column scales of the head (onnxruntime folds the constant Transposes at load).
   */
  private tiedWeight(site: WeightedMatMul, graph: GraphProto, out: NodeProto[]): QuantizedWeight | undefined {
    const table = site.transposedFrom ? this.tables.get(site.transposedFrom) : undefined;
    if (!table) return undefined;
    const base = site.node.name || site.output;
    const q: QuantizedWeight = {
      values: this.names.fresh(`${table.values}_transposed`),
      scale: this.names.fresh(`${table.scales}_transposed`),
      zeroPoint: this.names.fresh(`${site.weightName}_zero_point`),
    };
    graph.initializer.push(makeTensor(q.zeroPoint, DataType.INT8, [], new Int8Array(1)));
    out.push(
      makeNode('Transpose', [table.values], [q.values], this.names.fresh(`${base}_weight_transpose`)),
      makeNode('Transpose', [table.scales], [q.scale], this.names.fresh(`${base}_scale_transpose`)),
    );
    return q;
  }

  /** `perColumn`: the plan moved this weight up to the int8 level, which has a scale per output column. */
  private weight(site: WeightedMatMul, perColumn: boolean): QuantizedWeight {
    const cached = this.weights.get(site.cacheKey);
    if (cached) return cached;
    const perChannel = this.perChannel || perColumn;
    const { values, scales } = quantizeInt8Symmetric(site.weight, site.k, site.n, perChannel);
    const scaleDims = perChannel ? [site.n] : [];
    const q: QuantizedWeight = {
      values: this.names.fresh(`${site.weightName}_quantized`),
      scale: this.names.fresh(`${site.weightName}_scale`),
      zeroPoint: this.names.fresh(`${site.weightName}_zero_point`),
    };
    site.weightGraph.initializer.push(
      makeTensor(q.values, DataType.INT8, [site.k, site.n], values),
      makeTensor(q.scale, DataType.FLOAT, scaleDims, scales),
      makeTensor(q.zeroPoint, DataType.INT8, scaleDims, new Int8Array(scales.length)),
    );
    this.weights.set(site.cacheKey, q);
    return q;
  }

  rewrite(site: WeightedMatMul, graph: GraphProto): NodeProto[] | undefined {
    const choice = this.plan.choose(site.weightName);
    if (choice.bits === 'float') return undefined;
    const out: NodeProto[] = [];
    let perGraph = this.activations.get(graph);
    if (!perGraph) this.activations.set(graph, (perGraph = new Map()));
    let quantized = perGraph.get(site.activation);
    if (!quantized) {
      const a = site.activation;
      quantized = [this.names.fresh(`${a}_quantized`), this.names.fresh(`${a}_scale`), this.names.fresh(`${a}_zero_point`)];
      perGraph.set(a, quantized);
      out.push(makeNode('DynamicQuantizeLinear', [a], quantized, this.names.fresh(`${a}_QuantizeLinear`)));
    }
    const [aValues, aScale, aZeroPoint] = quantized;
    const w = this.tiedWeight(site, graph, out) ?? this.weight(site, choice.bits === 'int8');
    const base = site.node.name || site.output;
    const product = this.names.fresh(`${site.output}_output_quantized`);
    const asFloat = this.names.fresh(`${product}_cast_output`);
    const scale = this.names.fresh(`${site.output}_scales_mul`);
    out.push(
      makeNode('MatMulInteger', [aValues, w.values, aZeroPoint, w.zeroPoint], [product], this.names.fresh(`${base}_quant`)),
      makeNode('Cast', [product], [asFloat], this.names.fresh(`${base}_quant_cast`), [intAttribute('to', DataType.FLOAT)]),
      makeNode('Mul', [aScale, w.scale], [scale], this.names.fresh(`${base}_quant_scales_mul`)),
      makeNode('Mul', [asFloat, scale], [site.output], this.names.fresh(`${base}_quant_output_scale_mul`)),
    );
    return out;
  }
}

/** DynamicQuantizeLinear needs opset 11. */
export function checkOpset(model: ModelProto): void {
  if (onnxOpsetVersion(model) < 11) {
    throw new ConvertOptionError({
      option: 'dtype q8',
      detail: `the model uses ONNX opset ${onnxOpsetVersion(model)}; DynamicQuantizeLinear needs opset 11 or later`,
      hint: 'Re-export the model with opset 11 or newer (14+ recommended).',
    });
  }
}

/** Quantizes `model` in place; tied LM heads read the int8 tables in `tables`. */
export function quantizeDynamicInt8(
  model: ModelProto,
  names: NameAllocator,
  plan: PrecisionPlan,
  tables: ReadonlyMap<string, Int8Rows>,
  options: Q8Options = {},
): void {
  rewriteWeightedMatMuls(model, names, new DynamicInt8Rewriter(names, options.perChannel ?? false, plan, tables));
}
