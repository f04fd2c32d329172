/**
 * torch.onnx.export without constant folding leaves nn.Linear weights as
 * `Transpose(weight)` feeding MatMul. onnxruntime's quantizers only see constant weights,
 * so its users fold constants first; this does that one fold: a 2-D float32 initializer
 * through a plain Transpose becomes a transposed initializer.
 */
import { readFloat32, transpose2d, makeTensor } from '../onnx/tensor-data.js';
import { DataType, type GraphProto, type ModelProto, type NodeProto } from '../onnx/types.js';
import { attribute } from './elem-types.js';
import { NameAllocator, findFloatMatrix, isOnnxDomain, renameReaders, type ScopedInitializer } from './edit.js';
import { subgraphsOf } from './walk.js';

/** Folded initializer name -> the initializer it is the transpose of. */
export type FoldedTransposes = Map<string, string>;

/** The 2-D float32 initializer a node transposes (a plain 2-D Transpose of a weight), if it is one. */
export function transposedMatrix(node: NodeProto, scopes: GraphProto[]): ScopedInitializer | undefined {
  if (node.opType !== 'Transpose' || !isOnnxDomain(node)) return undefined;
  const perm = attribute(node, 'perm')?.ints;
  if (perm && !(perm.length === 2 && perm[0] === 1n && perm[1] === 0n)) return undefined;
  return findFloatMatrix(scopes, node.input[0]);
}

function foldable(node: NodeProto, scopes: GraphProto[], graph: GraphProto): ScopedInitializer | undefined {
  if (graph.output.some((o) => o.name === node.output[0])) return undefined;
  return transposedMatrix(node, scopes);
}

function foldGraph(graph: GraphProto, scopes: GraphProto[], names: NameAllocator, folded: Map<string, string>): void {
  const inner = [...scopes, graph];
  const kept: NodeProto[] = [];
  for (const node of graph.node) {
    for (const sub of subgraphsOf(node)) foldGraph(sub, inner, names, folded);
    const found = foldable(node, inner, graph);
    if (!found) {
      kept.push(node);
      continue;
    }
    let name = folded.get(found.tensor.name);
    if (!name) {
      name = names.fresh(`${found.tensor.name}_transposed`);
      const [rows, cols] = found.tensor.dims;
      // Placed beside the source weight, so the If branches of a merged decoder share one copy.
      found.graph.initializer.push(makeTensor(name, DataType.FLOAT, [cols, rows], transpose2d(readFloat32(found.tensor), rows, cols)));
      folded.set(found.tensor.name, name);
    }
    renameReaders(graph, node.output[0], name);
  }
  graph.node = kept;
}

/**
 * Folds Transpose(weight) into transposed initializers, in place; the caller prunes the
 * initializers left unused once it has rewritten their readers.
 */
export function foldWeightTransposes(model: ModelProto, names: NameAllocator): FoldedTransposes {
  const bySource = new Map<string, string>();
  foldGraph(model.graph, [], names, bySource);
  return new Map([...bySource].map(([source, folded]) => [folded, source]));
}
