/**
 * float32 -> float16. Every node runs in one precision: float16 by default, float32 for the
 * operators in FP32_OPS, for arithmetic that ends in an integer Cast (index computations
 * such as T5's relative-position buckets, where one float16 rounding moves a bucket), and for
 * the rescaling of int32 accumulators (markRescaled).
 * Float tensors take the precision of their producer; constants and initializers read only
 * by float32 nodes keep their float32 values. Where a tensor meets a node of the other
 * precision a Cast is inserted. Graph inputs and outputs keep float32 unless `keepIoTypes`
 * is false.
 */
import { attribute, inferElemTypes, type ElemTypes } from '../graph/elem-types.js';
import { NameAllocator, intAttribute, isOnnxDomain, makeNode, renameReaders, renameTensor, tensorAttribute } from '../graph/edit.js';
import { allGraphs } from '../graph/walk.js';
import { toFloat16Array } from '../onnx/float16.js';
import { makeTensor, readFloat32, setTensorData } from '../onnx/tensor-data.js';
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from '../onnx/types.js';

export interface Fp16Options {
  /** Graph inputs and outputs keep float32 (Casts at the edges). Default true. */
  keepIoTypes?: boolean;
  /** Operators that stay float32 (default FP32_OPS). */
  fp32Ops?: readonly string[];
}

/**
 * Kept in float32: normalizations and softmax sum many terms and lose accuracy (or overflow)
 * in float16; Range builds position indices that float16 cannot count past 2048;
 * DynamicQuantizeLinear only takes float32 (q4f16's weights kept in q8's int8 form).
 */
export const FP32_OPS: readonly string[] = [
  'DynamicQuantizeLinear',
  'LayerNormalization',
  'LogSoftmax',
  'Range',
  'Softmax',
];

/** Inputs that ONNX types as float32 whatever the data type (Resize roi and scales). */
const FLOAT32_ONLY_INPUTS = new Map<string, number[]>([['Resize', [1, 2]], ['Upsample', [1]]]);

/** Operators that read any element type, so their inputs never need a Cast. */
const TYPE_AGNOSTIC = new Set(['Cast', 'Shape', 'Size']);

const INTEGER_TYPES = new Set<number>([
  DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64,
  DataType.UINT8, DataType.UINT16, DataType.UINT32, DataType.UINT64,
]);

class Fp16Pass {
  private readonly names: NameAllocator;
  private types: ElemTypes = new Map();
  /** Float tensors that stay float32 (the rest of the float tensors become float16). */
  private readonly float32 = new Set<string>();
  private readonly fp32Nodes = new Set<NodeProto>();
  private readonly producers = new Map<string, NodeProto>();
  private readonly readers = new Map<string, NodeProto[]>();
  /** Tensors read as a subgraph output (their precision must match the other branch). */
  private readonly branchOutputs = new Set<string>();
  private readonly edgeCasts = new Set<NodeProto>();

  constructor(private readonly graph: GraphProto, private readonly fp32Ops: ReadonlySet<string>) {
    this.names = new NameAllocator(graph);
  }

  run(keepIoTypes: boolean): void {
    const edges = keepIoTypes ? this.castAtEdges() : [];
    this.types = inferElemTypes(this.graph, 'fp16');
    this.index();
    this.chooseNodePrecision();
    this.chooseTensorPrecision();
    for (const name of edges) this.float32.add(name);
    for (const g of allGraphs(this.graph)) this.convertGraph(g);
  }

  private isFloat(name: string): boolean {
    return this.types.get(name) === DataType.FLOAT;
  }

  private declaresFloat(v: ValueInfoProto): boolean {
    return v.type?.tensorType?.elemType === DataType.FLOAT;
  }

  /** Graph inputs/outputs get a Cast at the edge; returns the edge names (they stay float32). */
  private castAtEdges(): string[] {
    const g = this.graph;
    const weights = new Set(g.initializer.map((t) => t.name));
    const inputs = new Set(g.input.map((v) => v.name));
    const kept: string[] = [];
    const first: NodeProto[] = [];
    for (const input of g.input) {
      if (!this.declaresFloat(input) || weights.has(input.name)) continue;
      const inner = this.names.fresh(`${input.name}_fp16`);
      renameReaders(g, input.name, inner);
      // Typed as an identity for now so everything downstream types as float; set to float16 in convertGraph.
      first.push(this.cast(input.name, inner, DataType.FLOAT));
      kept.push(input.name);
    }
    const last: NodeProto[] = [];
    for (const output of g.output) {
      if (!this.declaresFloat(output) || inputs.has(output.name)) continue;
      const inner = this.names.fresh(`${output.name}_fp16`);
      renameTensor(g, output.name, inner);
      const cast = this.cast(inner, output.name, DataType.FLOAT);
      last.push(cast);
      kept.push(output.name);
    }
    for (const cast of [...first, ...last]) this.edgeCasts.add(cast);
    g.node = [...first, ...g.node, ...last];
    return kept;
  }

  private cast(from: string, to: string, type: number): NodeProto {
    return makeNode('Cast', [from], [to], this.names.fresh(`${to}_cast`), [intAttribute('to', type)]);
  }

  private index(): void {
    for (const g of allGraphs(this.graph)) {
      for (const node of g.node) {
        for (const name of node.output) this.producers.set(name, node);
        for (const name of node.input) {
          const list = this.readers.get(name);
          if (list) list.push(node);
          else this.readers.set(name, [node]);
        }
      }
      if (g !== this.graph) for (const o of g.output) this.branchOutputs.add(o.name);
    }
  }

  private chooseNodePrecision(): void {
    for (const g of allGraphs(this.graph)) {
      for (const node of g.node) {
        if (this.edgeCasts.has(node) || !isOnnxDomain(node)) continue;
        if (this.fp32Ops.has(node.opType)) this.fp32Nodes.add(node);
        const to = attribute(node, 'to')?.i;
        if (node.opType === 'Cast' && to !== undefined && INTEGER_TYPES.has(Number(to)) && this.isFloat(node.input[0])) {
          this.markFloat32Upstream(node.input[0]);
        }
        if (node.opType === 'Cast' && to === BigInt(DataType.FLOAT) && this.types.get(node.input[0]) === DataType.INT32) this.markRescaled(node);
      }
    }
  }

  /**
   * An int32 accumulator (MatMulInteger's, in q8's form) passes float16's 65504 long before int32's
   * range, and its scale (activation scale times weight scale, often under 1e-5) is subnormal
   * there: float16 turned both into Inf and NaN on WebGPU with 'shader-f16' (q4f16 BERT and GPT-2 on
   * lavapipe; wasm computes float16 arithmetic in float32 and never showed it). The Cast, the Mul
   * that rescales it and that scale's arithmetic stay float32; the rescaled product is an ordinary
   * activation.
   */
  private markRescaled(cast: NodeProto): void {
    this.fp32Nodes.add(cast);
    for (const reader of this.readers.get(cast.output[0]) ?? []) {
      if (reader.opType !== 'Mul' || !isOnnxDomain(reader)) continue;
      this.fp32Nodes.add(reader);
      for (const name of reader.input) if (name !== cast.output[0] && this.isFloat(name)) this.markFloat32Upstream(name);
    }
  }

  /** Float arithmetic leading to `start` keeps float32, back to where it left integers (or other float32 nodes). */
  private markFloat32Upstream(start: string): void {
    const pending = [start];
    while (pending.length > 0) {
      const node = this.producers.get(pending.pop()!);
      if (!node || this.fp32Nodes.has(node) || this.edgeCasts.has(node) || !isOnnxDomain(node) || node.opType === 'If') continue;
      if (node.output.some((name) => name && !this.isFloat(name))) continue;
      this.fp32Nodes.add(node);
      for (const name of node.input) if (name && this.isFloat(name)) pending.push(name);
    }
  }

  private chooseTensorPrecision(): void {
    const initializers = new Set(allGraphs(this.graph).flatMap((g) => g.initializer.map((t) => t.name)));
    for (const [name, type] of this.types) {
      if (type !== DataType.FLOAT) continue;
      const producer = this.producers.get(name);
      if (producer && this.fp32Nodes.has(producer)) {
        this.float32.add(name);
        continue;
      }
      const readers = this.readers.get(name) ?? [];
      const onlyFloat32Readers = readers.length > 0 && readers.every((n) => this.fp32Nodes.has(n)) && !this.branchOutputs.has(name);
      if (!onlyFloat32Readers) continue;
      if (producer?.opType === 'Constant') {
        this.fp32Nodes.add(producer);
        this.float32.add(name);
      } else if (!producer && initializers.has(name)) {
        this.float32.add(name);
      }
    }
  }

  /** Precision a float tensor has after the pass. */
  private precisionOf(name: string): number {
    return this.float32.has(name) ? DataType.FLOAT : DataType.FLOAT16;
  }

  private convertGraph(g: GraphProto): void {
    for (const t of g.initializer) if (!this.float32.has(t.name)) convertTensor(t);
    for (const v of [...g.input, ...g.output, ...g.valueInfo]) {
      if (this.declaresFloat(v)) v.type!.tensorType!.elemType = this.precisionOf(v.name);
    }
    const casts = new Map<string, string>();
    const nodes: NodeProto[] = [];
    const castTo = (name: string, type: number): string => {
      const key = `${type}|${name}`;
      let cast = casts.get(key);
      if (!cast) {
        cast = this.names.fresh(`${name}_${type === DataType.FLOAT ? 'fp32' : 'fp16'}`);
        casts.set(key, cast);
        nodes.push(this.cast(name, cast, type));
      }
      return cast;
    };
    for (const node of g.node) {
      if (this.edgeCasts.has(node)) {
        attribute(node, 'to')!.i = BigInt(this.precisionOf(node.output[0]));
      } else if (!TYPE_AGNOSTIC.has(node.opType)) {
        const wanted = this.fp32Nodes.has(node) ? DataType.FLOAT : DataType.FLOAT16;
        const float32Inputs = isOnnxDomain(node) ? FLOAT32_ONLY_INPUTS.get(node.opType) : undefined;
        node.input = node.input.map((name, i) => {
          if (!name || !this.isFloat(name)) return name;
          const type = float32Inputs?.includes(i) ? DataType.FLOAT : wanted;
          return this.precisionOf(name) === type ? name : castTo(name, type);
        });
        if (wanted === DataType.FLOAT16 && isOnnxDomain(node)) convertAttributes(node);
      } else if (node.opType === 'Cast' && !this.fp32Nodes.has(node)) {
        convertAttributes(node);
      }
      nodes.push(node);
    }
    if (g !== this.graph) {
      // Both branches of an If must agree: their float outputs leave as float16.
      for (const o of g.output) {
        if (this.isFloat(o.name) && this.float32.has(o.name)) {
          const cast = this.names.fresh(`${o.name}_fp16`);
          nodes.push(this.cast(o.name, cast, DataType.FLOAT16));
          o.name = cast;
          o.type!.tensorType!.elemType = DataType.FLOAT16;
        }
      }
    }
    g.node = nodes;
  }
}

/** Operators whose attributes decide that they produce float32. */
function convertAttributes(node: NodeProto): void {
  switch (node.opType) {
    case 'Cast':
    case 'EyeLike': {
      const to = attribute(node, node.opType === 'Cast' ? 'to' : 'dtype');
      if (to && to.i === BigInt(DataType.FLOAT)) to.i = BigInt(DataType.FLOAT16);
      return;
    }
    case 'Constant':
      convertConstant(node);
      return;
    case 'ConstantOfShape': {
      const value = attribute(node, 'value');
      if (value?.t) convertTensor(value.t);
      else node.attribute.push(tensorAttribute('value', makeTensor('', DataType.FLOAT16, [1], new Uint16Array(1))));
      return;
    }
  }
}

function convertTensor(t: TensorProto): void {
  if (t.dataType !== DataType.FLOAT) return;
  setTensorData(t, DataType.FLOAT16, toFloat16Array(readFloat32(t)));
}

function convertConstant(node: NodeProto): void {
  node.attribute = node.attribute.map((a) => {
    if (a.name === 'value' && a.t) convertTensor(a.t);
    if (a.name !== 'value_float' && a.name !== 'value_floats') return a;
    const values = a.name === 'value_float' ? [a.f ?? 0] : a.floats;
    const dims = a.name === 'value_float' ? [] : [values.length];
    return tensorAttribute('value', makeTensor('', DataType.FLOAT16, dims, toFloat16Array(Float32Array.from(values))));
  });
}

/** Converts `model` in place. */
export function convertToFloat16(model: ModelProto, options: Fp16Options = {}): void {
  new Fp16Pass(model.graph, new Set(options.fp32Ops ?? FP32_OPS)).run(options.keepIoTypes ?? true);
}
