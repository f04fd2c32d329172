/** Visiting graphs nested in control-flow attributes (If branches, Loop/Scan bodies). */
import type { GraphProto, NodeProto, TensorProto } from '../onnx/types.js';

export function subgraphsOf(node: NodeProto): GraphProto[] {
  const out: GraphProto[] = [];
  for (const a of node.attribute) {
    if (a.g) out.push(a.g);
    out.push(...a.graphs);
  }
  return out;
}

/** The graph and every graph nested in it, outermost first. */
export function allGraphs(graph: GraphProto): GraphProto[] {
  const out = [graph];
  for (let i = 0; i < out.length; i++) {
    for (const node of out[i].node) out.push(...subgraphsOf(node));
  }
  return out;
}

/** Initializers and tensor-valued attributes (Constant values) in every graph. */
export function allTensors(graph: GraphProto): TensorProto[] {
  const out: TensorProto[] = [];
  for (const g of allGraphs(graph)) {
    out.push(...g.initializer);
    for (const node of g.node) {
      for (const a of node.attribute) {
        if (a.t) out.push(a.t);
        out.push(...a.tensors);
      }
    }
  }
  return out;
}
