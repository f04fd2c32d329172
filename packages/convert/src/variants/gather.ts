/**
 * Quantized embedding tables: a Gather from a constant float32 [rows, cols] table becomes a
 * Gather from an int8 table plus a Gather of per-row scales, multiplied back to float.
 * Only standard operators, so it runs wherever Gather does. Tiny models are dominated by
 * their embeddings; large ones by their MatMul weights.
 */
import { attribute } from '../graph/elem-types.js';
import { NameAllocator, intAttribute, makeNode, pruneUnusedInitializers } from '../graph/edit.js';
import { subgraphsOf } from '../graph/walk.js';
import { makeTensor, readFloat32 } from '../onnx/tensor-data.js';
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../onnx/types.js';
import { quantizeInt8Rows } from './quant-math.js';

interface QuantizedTable {
  values: string;
  scales: string;
}

class GatherQuantizer {
  private readonly tables = new Map<string, QuantizedTable>();

  constructor(private readonly names: NameAllocator) {}

  private table(tensor: TensorProto, home: GraphProto): QuantizedTable {
    const cached = this.tables.get(tensor.name);
    if (cached) return cached;
    const [rows, cols] = tensor.dims;
    const { values, scales } = quantizeInt8Rows(readFloat32(tensor), rows, cols);
    const table = { values: this.names.fresh(`${tensor.name}_quantized`), scales: this.names.fresh(`${tensor.name}_row_scales`) };
    home.initializer.push(
      makeTensor(table.values, DataType.INT8, [rows, cols], values),
      makeTensor(table.scales, DataType.FLOAT, [rows, 1], scales),
    );
    this.tables.set(tensor.name, table);
    return table;
  }

  rewriteGraph(graph: GraphProto, scopes: GraphProto[]): void {
    const inner = [...scopes, graph];
    const nodes: NodeProto[] = [];
    for (const node of graph.node) {
      for (const sub of subgraphsOf(node)) this.rewriteGraph(sub, inner);
      const found = this.embeddingOf(node, inner);
      if (!found) {
        nodes.push(node);
        continue;
      }
      const table = this.table(found.tensor, found.graph);
      const out = node.output[0];
      const base = node.name || out;
      const values = this.names.fresh(`${out}_quantized`);
      const scales = this.names.fresh(`${out}_row_scales`);
      const asFloat = this.names.fresh(`${out}_cast_output`);
      nodes.push(
        makeNode('Gather', [table.values, node.input[1]], [values], this.names.fresh(`${base}_quant`), [intAttribute('axis', 0)]),
        makeNode('Gather', [table.scales, node.input[1]], [scales], this.names.fresh(`${base}_quant_scales`), [intAttribute('axis', 0)]),
        makeNode('Cast', [values], [asFloat], this.names.fresh(`${base}_quant_cast`), [intAttribute('to', DataType.FLOAT)]),
        makeNode('Mul', [asFloat, scales], [out], this.names.fresh(`${base}_quant_scale_mul`)),
      );
    }
    graph.node = nodes;
  }

  private embeddingOf(node: NodeProto, scopes: GraphProto[]): { tensor: TensorProto; graph: GraphProto } | undefined {
    if (node.opType !== 'Gather' || (node.domain !== '' && node.domain !== 'ai.onnx')) return undefined;
    const axis = attribute(node, 'axis')?.i ?? 0n;
    if (axis !== 0n) return undefined;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const tensor = scopes[i].initializer.find((t) => t.name === node.input[0]);
      if (tensor) {
        return tensor.dataType === DataType.FLOAT && tensor.dims.length === 2 ? { tensor, graph: scopes[i] } : undefined;
      }
    }
    return undefined;
  }
}

/** Quantizes the embedding tables of `model` in place. */
export function quantizeGathers(model: ModelProto): void {
  new GatherQuantizer(new NameAllocator(model.graph)).rewriteGraph(model.graph, []);
  pruneUnusedInitializers(model.graph);
}
