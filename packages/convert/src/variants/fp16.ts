/**
 * float32 -> float16: initializers, constants and value types become float16; a few
 * operators keep computing in float32 behind Casts; graph inputs and outputs keep their
 * declared float32 types unless `keepIoTypes` is false.
 */
import { inferElemTypes, attribute, type ElemTypes } from '../graph/elem-types.js';
import { NameAllocator, intAttribute, makeNode, renameReaders, renameTensor, tensorAttribute } from '../graph/edit.js';
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
 * in float16; Range builds position indices that float16 cannot count past 2048.
 */
export const FP32_OPS: readonly string[] = [
  'LayerNormalization',
  'LogSoftmax',
  'Range',
  'SimplifiedLayerNormalization',
  'SkipLayerNormalization',
  'SkipSimplifiedLayerNormalization',
  'Softmax',
];

/** Inputs that ONNX types as float32 whatever the data type (Resize roi and scales). */
const FLOAT32_ONLY_INPUTS = new Map<string, number[]>([['Resize', [1, 2]], ['Upsample', [1]]]);

const FLOATISH = new Set<number>([DataType.FLOAT, DataType.FLOAT16]);

class Fp16Pass {
  private readonly names: NameAllocator;
  /** Tensors that stay float32 after the pass (the graph's own float32 inputs and outputs). */
  private readonly keptFloat32 = new Set<string>();
  /** Casts at the graph edges, already final. */
  private readonly edgeCasts = new Set<NodeProto>();
  private types: ElemTypes = new Map();

  constructor(private readonly graph: GraphProto, private readonly fp32Ops: ReadonlySet<string>) {
    this.names = new NameAllocator(graph);
  }

  run(keepIoTypes: boolean): void {
    if (keepIoTypes) this.castAtEdges();
    this.types = inferElemTypes(this.graph, 'fp16');
    for (const g of allGraphs(this.graph)) this.convertGraph(g);
  }

  private isFloat(v: ValueInfoProto): boolean {
    return v.type?.tensorType?.elemType === DataType.FLOAT;
  }

  private castAtEdges(): void {
    const g = this.graph;
    const weights = new Set(g.initializer.map((t) => t.name));
    const first: NodeProto[] = [];
    for (const input of g.input) {
      if (!this.isFloat(input) || weights.has(input.name)) continue;
      const inner = this.names.fresh(`${input.name}_fp16`);
      renameReaders(g, input.name, inner);
      first.push(this.cast(input.name, inner, DataType.FLOAT16));
      this.keptFloat32.add(input.name);
    }
    const last: NodeProto[] = [];
    const inputs = new Set(g.input.map((v) => v.name));
    for (const output of g.output) {
      if (!this.isFloat(output) || inputs.has(output.name)) continue;
      const inner = this.names.fresh(`${output.name}_fp16`);
      renameTensor(g, output.name, inner);
      const cast = this.cast(inner, output.name, DataType.FLOAT);
      this.edgeCasts.add(cast);
      last.push(cast);
      this.keptFloat32.add(output.name);
    }
    g.node = [...first, ...g.node, ...last];
  }

  private cast(from: string, to: string, type: number): NodeProto {
    return makeNode('Cast', [from], [to], this.names.fresh(`${to}_cast`), [intAttribute('to', type)]);
  }

  /** Is this tensor float16 once the pass is done? */
  private endsFloat16(name: string): boolean {
    return FLOATISH.has(this.types.get(name) ?? DataType.UNDEFINED) && !this.keptFloat32.has(name);
  }

  private convertGraph(g: GraphProto): void {
    for (const t of g.initializer) convertTensor(t);
    for (const v of [...g.input, ...g.output, ...g.valueInfo]) {
      if (this.isFloat(v) && !this.keptFloat32.has(v.name)) v.type!.tensorType!.elemType = DataType.FLOAT16;
    }
    const upcasts = new Map<string, string>();
    const nodes: NodeProto[] = [];
    const toFloat32 = (name: string): string => {
      let cast = upcasts.get(name);
      if (!cast) {
        cast = this.names.fresh(`${name}_fp32`);
        upcasts.set(name, cast);
        nodes.push(this.cast(name, cast, DataType.FLOAT));
      }
      return cast;
    };
    for (const node of g.node) {
      if (this.edgeCasts.has(node)) {
        nodes.push(node);
        continue;
      }
      const isDefaultDomain = node.domain === '' || node.domain === 'ai.onnx';
      if (isDefaultDomain && this.fp32Ops.has(node.opType)) {
        node.input = node.input.map((name) => (name && this.endsFloat16(name) ? toFloat32(name) : name));
        const after: NodeProto[] = [];
        node.output = node.output.map((name) => {
          if (!name || this.types.get(name) !== DataType.FLOAT || this.keptFloat32.has(name)) return name;
          const inner = this.names.fresh(`${name}_fp32`);
          after.push(this.cast(inner, name, DataType.FLOAT16));
          return inner;
        });
        nodes.push(node, ...after);
        continue;
      }
      const float32Inputs = isDefaultDomain ? FLOAT32_ONLY_INPUTS.get(node.opType) : undefined;
      if (float32Inputs) {
        node.input = node.input.map((name, i) =>
          name && float32Inputs.includes(i) && this.endsFloat16(name) ? toFloat32(name) : name,
        );
      }
      if (isDefaultDomain) this.convertAttributes(node);
      nodes.push(node);
    }
    g.node = nodes;
  }

  /** Operators whose attributes decide that they produce float32. */
  private convertAttributes(node: NodeProto): void {
    const producesFloat16 = node.output.some((name) => this.endsFloat16(name));
    if (!producesFloat16) return;
    switch (node.opType) {
      case 'Cast': {
        const to = attribute(node, 'to');
        if (to && to.i === BigInt(DataType.FLOAT)) to.i = BigInt(DataType.FLOAT16);
        return;
      }
      case 'EyeLike': {
        const dtype = attribute(node, 'dtype');
        if (dtype && dtype.i === BigInt(DataType.FLOAT)) dtype.i = BigInt(DataType.FLOAT16);
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
}

function convertTensor(t: TensorProto): void {
  if (t.dataType !== DataType.FLOAT) return;
  setTensorData(t, DataType.FLOAT16, toFloat16Array(readFloat32(t)));
}

function convertConstant(node: NodeProto): void {
  for (const a of node.attribute) {
    if (a.name === 'value' && a.t) convertTensor(a.t);
    if (a.name === 'value_float' || a.name === 'value_floats') {
      const values = a.name === 'value_float' ? [a.f ?? 0] : a.floats;
      const dims = a.name === 'value_float' ? [] : [values.length];
      const data = toFloat16Array(Float32Array.from(values));
      const replacement = tensorAttribute('value', makeTensor('', DataType.FLOAT16, dims, data));
      node.attribute = node.attribute.map((x) => (x === a ? replacement : x));
    }
  }
}

/** Converts `model` in place. */
export function convertToFloat16(model: ModelProto, options: Fp16Options = {}): void {
  const pass = new Fp16Pass(model.graph, new Set(options.fp32Ops ?? FP32_OPS));
  pass.run(options.keepIoTypes ?? true);
}
