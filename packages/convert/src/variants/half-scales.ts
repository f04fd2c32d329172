/**
 * Quantization scales stored as float16 and cast back to float32 by the graph. A 4-bit block
 * of 32 values takes 16 bytes of nibbles and half a byte of zero point; a float32 scale adds 4
 * more (a sixth of the block), a float16 one 2. A scale in float16 is relatively exact to
 * 2^-11, far below 4-bit (or int8) rounding, and the quantizers round the scales first and fit
 * the values to the rounded ones (quant-math.ts halfScale), so nothing is lost.
 *
 * The readers (MatMulNBits, GatherBlockQuantized, the int8 rows' Mul) keep their float32
 * scales: onnxruntime folds the Cast of a constant at load, so no float16 tensor reaches a
 * kernel and adapters without WebGPU's 'shader-f16' run these files (checked on wasm and on
 * both WebGPU providers, e2e/variants.spec.ts); memory holds float32 scales, as before.
 */
import { NameAllocator, intAttribute, makeNode } from '../graph/edit.js';
import { allGraphs } from '../graph/walk.js';
import { float16BitsToFloat32, toFloat16Array } from '../onnx/float16.js';
import { makeTensor, readFloat32 } from '../onnx/tensor-data.js';
import { DataType, type ModelProto, type NodeProto, type TensorProto } from '../onnx/types.js';

/** The tensor in float16 if every value survives the round trip exactly, else undefined. */
function exactHalf(tensor: TensorProto, name: string): TensorProto | undefined {
  const values = readFloat32(tensor);
  const half = toFloat16Array(values);
  for (let i = 0; i < values.length; i++) if (float16BitsToFloat32(half[i]) !== values[i]) return undefined;
  return makeTensor(name, DataType.FLOAT16, tensor.dims, half);
}

/**
 * Stores the float32 initializers named in `scales` as float16 where that is exact, each behind a
 * Cast at the top of its graph under the old name, so that every reader (in that graph or a
 * subgraph) is unchanged.
 */
export function storeScalesAsFloat16(model: ModelProto, names: NameAllocator, scales: ReadonlySet<string>): void {
  for (const graph of allGraphs(model.graph)) {
    const casts: NodeProto[] = [];
    graph.initializer = graph.initializer.map((tensor) => {
      if (!scales.has(tensor.name) || tensor.dataType !== DataType.FLOAT) return tensor;
      const half = exactHalf(tensor, names.fresh(`${tensor.name}_fp16`));
      if (!half) return tensor;
      casts.push(makeNode('Cast', [half.name], [tensor.name], names.fresh(`${tensor.name}_cast`), [intAttribute('to', DataType.FLOAT)]));
      return half;
    });
    graph.node.unshift(...casts);
  }
}
