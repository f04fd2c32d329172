/**
 * Finds the MatMul / Gemm nodes whose right-hand side is a constant float32 matrix and lets
 * a quantizer replace each with its own nodes. Gemm is brought to MatMul form (B transposed
 * when transB, alpha folded into the weight, C added after) so both quantizers only ever
 * see Y = A x W with W of shape [K, N].
 */
import { attribute } from '../graph/elem-types.js';
import { NameAllocator, findFloatMatrix, isOnnxDomain, makeNode, pruneUnusedInitializers } from '../graph/edit.js';
import { foldWeightTransposes, type FoldedTransposes } from '../graph/fold-transpose.js';
import { subgraphsOf } from '../graph/walk.js';
import { readFloat32, transpose2d } from '../onnx/tensor-data.js';
import type { GraphProto, ModelProto, NodeProto } from '../onnx/types.js';

export interface WeightedMatMul {
  node: NodeProto;
  /** The activation (left) input. */
  activation: string;
  /** Where the product must be written (the node's output, or a temporary before the bias Add). */
  output: string;
  /** Row-major [k, n]. */
  weight: Float32Array;
  k: number;
  n: number;
  /** Initializer names of the quantized weight are derived from this. */
  weightName: string;
  /** The graph that holds the weight; quantized weights go there, so If branches can share them. */
  weightGraph: GraphProto;
  /**
   * Identifies the float weight as used here (same tensor, same transposition, same alpha).
   * A weight read through Transpose(table) has the key `tableKey(table)`: its columns are the
   * table's rows, so a tied embedding table and its LM head share one quantized copy.
   */
  cacheKey: string;
  /** The initializer this weight was folded from (Transpose(source)), if any. */
  transposedFrom?: string;
}

/** Key of the weight whose columns are the rows of `table` (see WeightedMatMul.cacheKey). */
export function tableKey(table: string): string {
  return `${table}|rows`;
}

export interface MatMulRewriter {
  /**
   * Nodes computing `site.output` from `site.activation`; may add initializers to
   * `site.weightGraph`. Undefined keeps the node in float32.
   */
  rewrite(site: WeightedMatMul, graph: GraphProto): NodeProto[] | undefined;
}

function intAttr(node: NodeProto, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a?.i === undefined ? fallback : Number(a.i);
}

function floatAttr(node: NodeProto, name: string, fallback: number): number {
  return attribute(node, name)?.f ?? fallback;
}

/** The MatMul form of a node, or undefined when it does not have a quantizable constant weight. */
function asWeightedMatMul(
  node: NodeProto,
  scopes: GraphProto[],
  names: NameAllocator,
  folded: FoldedTransposes,
): { site: WeightedMatMul; bias?: string } | undefined {
  if (!isOnnxDomain(node)) return undefined;
  if (node.opType !== 'MatMul' && node.opType !== 'Gemm') return undefined;
  const found = findFloatMatrix(scopes, node.input[1]);
  if (!found) return undefined;
  const [rows, cols] = found.tensor.dims;
  if (node.opType === 'MatMul') {
    const transposedFrom = folded.get(found.tensor.name);
    const site = {
      node, activation: node.input[0], output: node.output[0], weight: readFloat32(found.tensor), k: rows, n: cols,
      weightName: transposedFrom ?? found.tensor.name, weightGraph: found.graph,
      cacheKey: transposedFrom ? tableKey(transposedFrom) : found.tensor.name, transposedFrom,
    };
    return { site };
  }
  const bias = node.input[2] || undefined;
  // Gemm forms this rewrite does not cover stay float32: correct, only not smaller.
  if (intAttr(node, 'transA', 0) !== 0 || (bias && floatAttr(node, 'beta', 1) !== 1)) return undefined;
  const transB = intAttr(node, 'transB', 0) === 1;
  const alpha = floatAttr(node, 'alpha', 1);
  let weight = readFloat32(found.tensor);
  if (transB) weight = transpose2d(weight, rows, cols);
  if (alpha !== 1) weight = weight.map((v) => Math.fround(v * alpha));
  const site = {
    node, activation: node.input[0], output: bias ? names.fresh(`${node.output[0]}_matmul`) : node.output[0], weight,
    k: transB ? cols : rows, n: transB ? rows : cols, weightName: found.tensor.name, weightGraph: found.graph,
    cacheKey: `${found.tensor.name}|${transB}|${alpha}`,
  };
  return { site, bias };
}

/** A MatMul left in float32 reads its weight as exported, so a folded copy is not stored beside the source. */
function unfold(node: NodeProto, site: WeightedMatMul, names: NameAllocator): NodeProto[] {
  if (!site.transposedFrom) return [node];
  const weight = names.fresh(`${site.transposedFrom}_transposed_output`);
  node.input[1] = weight;
  return [makeNode('Transpose', [site.transposedFrom], [weight], names.fresh(`${node.name || node.output[0]}_weight_transpose`)), node];
}

function rewriteGraph(graph: GraphProto, scopes: GraphProto[], names: NameAllocator, rewriter: MatMulRewriter, folded: FoldedTransposes): void {
  const inner = [...scopes, graph];
  const nodes: NodeProto[] = [];
  for (const node of graph.node) {
    for (const sub of subgraphsOf(node)) rewriteGraph(sub, inner, names, rewriter, folded);
    const found = asWeightedMatMul(node, inner, names, folded);
    if (!found) {
      nodes.push(node);
      continue;
    }
    const rewritten = rewriter.rewrite(found.site, graph);
    if (!rewritten) {
      nodes.push(...unfold(node, found.site, names));
      continue;
    }
    nodes.push(...rewritten);
    if (found.bias) {
      nodes.push(makeNode('Add', [found.site.output, found.bias], [node.output[0]], names.fresh(`${node.name || node.output[0]}_bias`)));
    }
  }
  graph.node = nodes;
}

/**
 * Rewrites every weighted MatMul / Gemm in the model (subgraphs included, weights behind a
 * Transpose folded first), then drops unused weights.
 */
export function rewriteWeightedMatMuls(model: ModelProto, names: NameAllocator, rewriter: MatMulRewriter): void {
  const folded = foldWeightTransposes(model, names);
  rewriteGraph(model.graph, [], names, rewriter, folded);
  pruneUnusedInitializers(model.graph);
}
