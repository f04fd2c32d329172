// A small ONNX graph builder for the random-weight bench models: nodes, seeded random initializers
// and constants, written with packages/convert's protobuf types (ModelProto and friends, see
// packages/convert/src/onnx/types.ts), so the writer is the converter's own codec.
const FLOAT = 1;
const INT64 = 7;
export const ELEM = { float: FLOAT, int64: INT64 };

/** mulberry32: a tiny seeded generator, so the same seed gives byte-identical weights on every machine. */
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tensor = (name, dataType, dims, typed) => ({
  name, dims, dataType, rawData: new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), externalData: [], unknown: [],
});

function attribute(name, value) {
  const base = { name, floats: [], ints: [], tensors: [], graphs: [], unknown: [] };
  if (Array.isArray(value)) return { ...base, type: 7, ints: value.map(BigInt) };
  if (typeof value === 'string') return { ...base, type: 3, s: new TextEncoder().encode(value) };
  if (Number.isInteger(value) && !Object.is(value, -0)) return { ...base, type: 2, i: BigInt(value) };
  return { ...base, type: 1, f: value };
}

function varint(n) {
  const bytes = [];
  for (let v = n; ; v = Math.floor(v / 128)) {
    if (v < 128) return [...bytes, v];
    bytes.push((v % 128) | 128);
  }
}
const lengthDelimited = (tag, bytes) => [tag, ...varint(bytes.length), ...bytes];

/**
 * TensorTypeProto.shape (field 2), which the converter's types keep as raw bytes: a Dimension per
 * entry, `dim_value` for numbers and `dim_param` for named (dynamic) axes. Runtimes check feeds
 * against these ranks, so every graph input and output declares one.
 */
function shapeField(dims) {
  const dimBytes = dims.flatMap((d) => lengthDelimited(0x0a,
    typeof d === 'number' ? [0x08, ...varint(d)] : lengthDelimited(0x12, [...new TextEncoder().encode(d)])));
  return Uint8Array.from(lengthDelimited(0x12, dimBytes));
}

const valueInfo = (name, elemType, dims) => ({
  name, type: { tensorType: { elemType, unknown: [shapeField(dims)] }, unknown: [] }, unknown: [],
});

export class GraphBuilder {
  constructor(seed) {
    this.random = seededRandom(seed);
    this.nodes = [];
    this.initializers = [];
    this.inputs = [];
    this.outputs = [];
    this.count = 0;
    this.parameters = 0;
  }

  fresh(hint) {
    return `${hint}_${this.count++}`;
  }

  /** A float32 weight drawn uniformly from [-scale, scale]. */
  weight(name, dims, scale = 0.035) {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = (this.random() * 2 - 1) * scale;
    this.parameters += data.length;
    this.initializers.push(tensor(name, FLOAT, dims, data));
    return name;
  }

  /** A float32 tensor with given values (norm gains, biases, rotary tables). */
  floats(name, dims, data) {
    this.initializers.push(tensor(name, FLOAT, dims, Float32Array.from(data)));
    return name;
  }

  ints(values, dims = [values.length]) {
    const name = this.fresh('const_i64');
    this.initializers.push(tensor(name, INT64, dims, BigInt64Array.from(values.map(BigInt))));
    return name;
  }

  scalar(value) {
    const name = this.fresh('const_f32');
    this.initializers.push(tensor(name, FLOAT, [], Float32Array.of(value)));
    return name;
  }

  /** Adds a node; returns its output name (or names, when `outputs` > 1). */
  node(opType, inputs, attrs = {}, outputs = 1) {
    const names = Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({
      input: inputs, output: names, name: this.fresh(`n_${opType}`), opType, domain: '',
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)), unknown: [],
    });
    return outputs === 1 ? names[0] : names;
  }

  /** Routes `value` to a graph output called `name`. */
  output(name, value, dims, elemType = FLOAT) {
    this.nodes.push({ input: [value], output: [name], name: this.fresh('n_out'), opType: 'Identity', domain: '', attribute: [], unknown: [] });
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  input(name, elemType, dims) {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  /** x @ W (+ b): a dense layer with random weights. */
  linear(x, name, inDim, outDim, bias = true) {
    const y = this.node('MatMul', [x, this.weight(`${name}.weight`, [inDim, outDim])]);
    return bias ? this.node('Add', [y, this.floats(`${name}.bias`, [outDim], new Float32Array(outDim))]) : y;
  }

  /** [b, s, heads*dim] → [b, heads, s, dim] */
  splitHeads(x, heads, dim) {
    return this.node('Transpose', [this.node('Reshape', [x, this.ints([0, 0, heads, dim])])], { perm: [0, 2, 1, 3] });
  }

  /** softmax(q kᵀ / √d + bias) v, heads merged back to [b, s, heads*dim]. */
  attention(q, k, v, bias, heads, dim) {
    const scores = this.node('Mul', [this.node('MatMul', [q, this.node('Transpose', [k], { perm: [0, 1, 3, 2] })]), this.scalar(1 / Math.sqrt(dim))]);
    const probs = this.node('Softmax', [this.node('Add', [scores, bias])], { axis: -1 });
    const context = this.node('Transpose', [this.node('MatMul', [probs, v])], { perm: [0, 2, 1, 3] });
    return this.node('Reshape', [context, this.ints([0, 0, heads * dim])]);
  }

  /** The size of `x` along `axis`, as a scalar int64. */
  dimOf(x, axis) {
    return this.node('Squeeze', [this.node('Shape', [x], { start: axis, end: axis + 1 }), this.ints([0])]);
  }

  /** Additive mask [b, 1, 1, T] from a 0/1 attention mask [b, T]: 0 where attended, a large negative elsewhere. */
  paddingBias(mask) {
    const keep = this.node('Cast', [mask], { to: FLOAT });
    const blocked = this.node('Mul', [this.node('Sub', [this.scalar(1), keep]), this.scalar(-1e9)]);
    return this.node('Unsqueeze', [blocked, this.ints([1, 2])]);
  }

  model(name, opset = 17) {
    return {
      irVersion: 8,
      opsetImport: [{ domain: '', version: opset, unknown: [] }],
      graph: { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs, valueInfo: [], unknown: [] },
      unknown: [],
    };
  }
}
