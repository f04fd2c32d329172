/**
 * Element type of every tensor in a graph, worked out from the graph inputs, initializers and
 * a table of operator typing rules. The fp16 pass needs to know which tensors are float32;
 * value_info is optional in ONNX and often partial, so it is not relied on. An operator not
 * in the table is refused rather than guessed.
 */
import { UnsupportedNodeError } from '../errors.js';
import { DataType, type AttributeProto, type GraphProto, type NodeProto } from '../onnx/types.js';
import { isOnnxDomain } from './edit.js';
import { subgraphsOf } from './walk.js';

export type ElemTypes = Map<string, number>;

type Rule = (inputs: (number | undefined)[], node: NodeProto, types: ElemTypes) => number[];

export function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute.find((a) => a.name === name);
}

const sameAsInput =
  (index: number): Rule =>
  (inputs, node) =>
    node.output.map(() => inputs[index] ?? DataType.UNDEFINED);
const fixed =
  (type: number): Rule =>
  (_inputs, node) =>
    node.output.map(() => type);
/** First output follows input 0, the others have fixed types (Dropout mask, TopK indices). */
const firstSameThen =
  (...rest: number[]): Rule =>
  (inputs) => [inputs[0] ?? DataType.UNDEFINED, ...rest];

function constantType(node: NodeProto): number {
  for (const a of node.attribute) {
    if (a.name === 'value' && a.t) return a.t.dataType;
    if (a.name === 'value_float' || a.name === 'value_floats') return DataType.FLOAT;
    if (a.name === 'value_int' || a.name === 'value_ints') return DataType.INT64;
    if (a.name === 'value_string' || a.name === 'value_strings') return DataType.STRING;
  }
  return DataType.UNDEFINED;
}

/** An If's outputs are its then-branch outputs (both branches must agree). */
function branchOutputs(node: NodeProto, types: ElemTypes): number[] {
  const branch = attribute(node, 'then_branch')?.g;
  return branch ? branch.output.map((o) => types.get(o.name) ?? o.type?.tensorType?.elemType ?? DataType.UNDEFINED) : [];
}

const PASS_THROUGH = [
  'Abs', 'Acos', 'Acosh', 'Add', 'Asin', 'Asinh', 'Atan', 'Atanh', 'AveragePool', 'BatchNormalization', 'Ceil',
  'Celu', 'Clip', 'Concat', 'Conv', 'ConvTranspose', 'Cos', 'Cosh', 'CumSum', 'DepthToSpace', 'Div', 'Einsum',
  'Elu', 'Erf', 'Exp', 'Expand', 'Flatten', 'Floor', 'Gather', 'GatherElements', 'GatherND', 'Gelu', 'Gemm',
  'GlobalAveragePool', 'GlobalMaxPool', 'GroupNormalization', 'HardSigmoid', 'HardSwish', 'Identity',
  'InstanceNormalization', 'LayerNormalization', 'LeakyRelu', 'Log', 'LogSoftmax', 'LpNormalization', 'MatMul',
  'Max', 'MaxPool', 'Mean', 'Min', 'Mish', 'Mod', 'Mul', 'Neg', 'Pad', 'Pow', 'PRelu', 'Range', 'Reciprocal',
  'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceMax', 'ReduceMean', 'ReduceMin',
  'ReduceProd', 'ReduceSum', 'ReduceSumSquare', 'Relu', 'Reshape', 'Resize', 'Round', 'ScatterElements',
  'ScatterND', 'Selu', 'Shrink', 'Sigmoid', 'Sign', 'Sin', 'Sinh', 'Slice', 'Softmax', 'Softplus', 'Softsign',
  'SpaceToDepth', 'Split', 'Sqrt', 'Squeeze', 'Sub', 'Sum', 'Tan', 'Tanh', 'ThresholdedRelu', 'Tile',
  'Transpose', 'Trilu', 'Unsqueeze',
];
const BOOLEAN = ['And', 'Equal', 'Greater', 'GreaterOrEqual', 'IsInf', 'IsNaN', 'Less', 'LessOrEqual', 'Not', 'Or', 'Xor'];
const INT64 = ['ArgMax', 'ArgMin', 'NonZero', 'Shape', 'Size'];

const ONNX_RULES = new Map<string, Rule>([
  ...PASS_THROUGH.map((op): [string, Rule] => [op, sameAsInput(0)]),
  ...BOOLEAN.map((op): [string, Rule] => [op, fixed(DataType.BOOL)]),
  ...INT64.map((op): [string, Rule] => [op, fixed(DataType.INT64)]),
  ['Dropout', firstSameThen(DataType.BOOL)],
  ['TopK', firstSameThen(DataType.INT64)],
  ['Unique', firstSameThen(DataType.INT64, DataType.INT64, DataType.INT64)],
  ['Where', sameAsInput(1)],
  ['CastLike', sameAsInput(1)],
  ['OneHot', sameAsInput(2)],
  ['Cast', (_i, node) => [Number(attribute(node, 'to')?.i ?? DataType.UNDEFINED)]],
  ['Constant', (_i, node) => [constantType(node)]],
  ['ConstantOfShape', (_i, node) => [attribute(node, 'value')?.t?.dataType ?? DataType.FLOAT]],
  ['EyeLike', (inputs, node) => [Number(attribute(node, 'dtype')?.i ?? inputs[0] ?? DataType.FLOAT)]],
  ['DynamicQuantizeLinear', () => [DataType.UINT8, DataType.FLOAT, DataType.UINT8]],
  ['MatMulInteger', fixed(DataType.INT32)],
  ['DequantizeLinear', sameAsInput(1)],
  ['QuantizeLinear', (inputs) => [inputs[2] ?? DataType.UINT8]],
  ['If', (_i, node, types) => branchOutputs(node, types)],
]);

const MICROSOFT_RULES = new Map<string, Rule>([
  ['MatMulNBits', sameAsInput(0)],
  ['GatherBlockQuantized', sameAsInput(2)],
]);

function ruleFor(node: NodeProto): Rule | undefined {
  if (isOnnxDomain(node)) return ONNX_RULES.get(node.opType);
  if (node.domain === 'com.microsoft') return MICROSOFT_RULES.get(node.opType);
  return undefined;
}

function declare(types: ElemTypes, graph: GraphProto): void {
  for (const t of graph.initializer) types.set(t.name, t.dataType);
  for (const v of graph.input) {
    const elem = v.type?.tensorType?.elemType;
    if (elem !== undefined && !types.has(v.name)) types.set(v.name, elem);
  }
}

/**
 * Types every tensor of `graph` and its subgraphs into `types` (names are unique across
 * scopes in exported models, so one map serves all of them). Throws on an operator it
 * cannot type. `variant` names the conversion in the error.
 */
export function inferElemTypes(graph: GraphProto, variant: string, types: ElemTypes = new Map()): ElemTypes {
  declare(types, graph);
  for (const node of graph.node) {
    const subgraphs = subgraphsOf(node);
    if (subgraphs.length > 0 && node.opType !== 'If') {
      throw new UnsupportedNodeError({
        node,
        variant,
        detail: 'loop bodies carry state whose types the converter does not follow',
        hint: 'Only If subgraphs are converted; unroll or remove Loop/Scan before converting.',
      });
    }
    const rule = ruleFor(node);
    if (!rule) {
      throw new UnsupportedNodeError({
        node,
        variant,
        detail: 'the converter does not know the element types this operator produces',
        hint: 'Export the model with standard ONNX operators, or convert it with onnxruntime\'s Python tools; ' +
          'open an issue naming this operator so it can be added to graph/elem-types.ts.',
      });
    }
    for (const sub of subgraphs) inferElemTypes(sub, variant, types);
    const untyped = node.input.find((name) => name !== '' && !types.has(name));
    if (untyped !== undefined) {
      throw new UnsupportedNodeError({
        node,
        variant,
        detail: `input "${untyped}" is neither a graph input, an initializer nor the output of an earlier node`,
        hint: 'The graph is not topologically sorted or references a missing tensor; re-export or run onnx.checker on it.',
      });
    }
    const inputs = node.input.map((name) => (name === '' ? undefined : types.get(name)));
    const out = rule(inputs, node, types);
    node.output.forEach((name, i) => {
      if (name !== '' && out[i] !== undefined) types.set(name, out[i]);
    });
  }
  return types;
}
