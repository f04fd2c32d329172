/** Small graph edits shared by the variants: fresh names, renames, new nodes, pruning. */
import { AttributeType, DataType, type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../onnx/types.js';
import { allGraphs } from './walk.js';

/** The default ONNX operator set (as opposed to com.microsoft and other custom domains). */
export function isOnnxDomain(node: NodeProto): boolean {
  return node.domain === '' || node.domain === 'ai.onnx';
}

/** Hands out tensor and node names not used anywhere in the model. */
export class NameAllocator {
  private readonly used = new Set<string>();

  constructor(graph: GraphProto) {
    for (const g of allGraphs(graph)) {
      for (const t of g.initializer) this.used.add(t.name);
      for (const v of [...g.input, ...g.output, ...g.valueInfo]) this.used.add(v.name);
      for (const n of g.node) {
        this.used.add(n.name);
        for (const name of [...n.input, ...n.output]) this.used.add(name);
      }
    }
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

export function intAttribute(name: string, value: number | bigint): AttributeProto {
  return { name, type: AttributeType.INT, i: BigInt(value), floats: [], ints: [], tensors: [], graphs: [], unknown: [] };
}

export function tensorAttribute(name: string, t: TensorProto): AttributeProto {
  return { name, type: AttributeType.TENSOR, t, floats: [], ints: [], tensors: [], graphs: [], unknown: [] };
}

export function makeNode(
  opType: string,
  input: string[],
  output: string[],
  name: string,
  attribute: AttributeProto[] = [],
  domain = '',
): NodeProto {
  return { opType, input, output, name, attribute, domain, unknown: [] };
}

/** Points every reader of `from` (in all nested graphs too) at `to`; producers are left alone. */
export function renameReaders(graph: GraphProto, from: string, to: string): void {
  for (const g of allGraphs(graph)) {
    for (const n of g.node) n.input = n.input.map((name) => (name === from ? to : name));
    if (g !== graph) for (const o of g.output) if (o.name === from) o.name = to;
  }
}

/** Renames a tensor everywhere it is produced or read, except the top graph's own declarations. */
export function renameTensor(graph: GraphProto, from: string, to: string): void {
  renameReaders(graph, from, to);
  for (const g of allGraphs(graph)) {
    for (const n of g.node) n.output = n.output.map((name) => (name === from ? to : name));
    for (const v of g.valueInfo) if (v.name === from) v.name = to;
  }
}

/** Drops initializers no node reads any more (and graph inputs that only declared them). */
export function pruneUnusedInitializers(graph: GraphProto): void {
  const read = new Set<string>();
  for (const g of allGraphs(graph)) {
    for (const n of g.node) for (const name of n.input) read.add(name);
    for (const o of g.output) read.add(o.name);
  }
  for (const g of allGraphs(graph)) {
    const dropped = new Set(g.initializer.filter((t) => !read.has(t.name)).map((t) => t.name));
    if (dropped.size === 0) continue;
    g.initializer = g.initializer.filter((t) => !dropped.has(t.name));
    g.input = g.input.filter((v) => !dropped.has(v.name));
  }
}

/** Declares an operator-set domain (e.g. com.microsoft for MatMulNBits) if the model lacks it. */
export function requireOpset(model: ModelProto, domain: string, version: number): void {
  if (!model.opsetImport.some((o) => o.domain === domain)) model.opsetImport.push({ domain, version, unknown: [] });
}

export function onnxOpsetVersion(model: ModelProto): number {
  return model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
}

export interface ScopedInitializer {
  tensor: TensorProto;
  /** The graph that holds it (a subgraph sees the initializers of the graphs around it). */
  graph: GraphProto;
}

/** Finds an initializer by name in the innermost graph of `scopes` or the graphs around it. */
export function findInitializer(scopes: GraphProto[], name: string): ScopedInitializer | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const tensor = scopes[i].initializer.find((init) => init.name === name);
    if (tensor) return { tensor, graph: scopes[i] };
  }
  return undefined;
}

/** A 2-D float32 initializer reachable from `scopes` (a weight matrix or an embedding table). */
export function findFloatMatrix(scopes: GraphProto[], name: string): ScopedInitializer | undefined {
  const found = findInitializer(scopes, name);
  return found && found.tensor.dataType === DataType.FLOAT && found.tensor.dims.length === 2 ? found : undefined;
}
