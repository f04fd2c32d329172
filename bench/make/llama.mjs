// A Llama-style decoder with a KV cache, in the layout both libraries expect (inputs input_ids,
// attention_mask, position_ids, past_key_values.{i}.key|value; outputs logits, present.{i}.key|value):
// RMSNorm, rotary embeddings (rotate-half form, as Hugging Face Llama), SwiGLU MLP, tied embeddings.
import { ELEM, GraphBuilder } from './graph-builder.mjs';

export const LLAMA_124M = { hidden: 768, layers: 12, heads: 12, intermediate: 2048, vocab: 50257, positions: 2048, theta: 10000 };

function rmsNorm(g, x, name, hidden) {
  const meanSquare = g.node('ReduceMean', [g.node('Mul', [x, x])], { axes: [-1], keepdims: 1 });
  const scaled = g.node('Div', [x, g.node('Sqrt', [g.node('Add', [meanSquare, g.scalar(1e-6)])])]);
  return g.node('Mul', [scaled, g.floats(`${name}.weight`, [hidden], new Float32Array(hidden).fill(1))]);
}

/** cos and sin tables [positions, headDim], each half repeated (Hugging Face's rotate_half layout). */
function rotaryTables(g, c, headDim) {
  const half = headDim / 2;
  const cos = new Float32Array(c.positions * headDim);
  const sin = new Float32Array(c.positions * headDim);
  for (let p = 0; p < c.positions; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p / c.theta ** ((2 * i) / headDim);
      for (const j of [i, i + half]) {
        cos[p * headDim + j] = Math.cos(angle);
        sin[p * headDim + j] = Math.sin(angle);
      }
    }
  }
  return [g.floats('rotary.cos', [c.positions, headDim], cos), g.floats('rotary.sin', [c.positions, headDim], sin)];
}

function rotate(g, x, cos, sin, headDim) {
  const [first, second] = g.node('Split', [x, g.ints([headDim / 2, headDim / 2])], { axis: -1 }, 2);
  const rotated = g.node('Concat', [g.node('Neg', [second]), first], { axis: -1 });
  return g.node('Add', [g.node('Mul', [x, cos]), g.node('Mul', [rotated, sin])]);
}

/** Additive causal bias [s, T]: query i (absolute position T - s + i) sees keys 0..T - s + i. */
function causalBias(g, ids, mask) {
  const total = g.dimOf(mask, 1);
  const past = g.node('Sub', [total, g.dimOf(ids, 1)]);
  const rows = g.node('Unsqueeze', [g.node('Range', [past, total, g.ints([1], [])]), g.ints([1])]);
  const cols = g.node('Unsqueeze', [g.node('Range', [g.ints([0], []), total, g.ints([1], [])]), g.ints([0])]);
  return g.node('Where', [g.node('Greater', [cols, rows]), g.scalar(-1e9), g.scalar(0)]);
}

export function llamaGraph(c, seed) {
  const g = new GraphBuilder(seed);
  const headDim = c.hidden / c.heads;
  const ids = g.input('input_ids', ELEM.int64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', ELEM.int64, ['batch_size', 'total_sequence_length']);
  const positionIds = g.input('position_ids', ELEM.int64, ['batch_size', 'sequence_length']);
  const embeddings = g.weight('embed_tokens', [c.vocab, c.hidden]);
  let x = g.node('Gather', [embeddings, ids]);
  const bias = g.node('Add', [g.paddingBias(mask), causalBias(g, ids, mask)]);
  const [cosTable, sinTable] = rotaryTables(g, c, headDim);
  const [cos, sin] = [cosTable, sinTable].map((t) => g.node('Unsqueeze', [g.node('Gather', [t, positionIds]), g.ints([1])]));
  for (let l = 0; l < c.layers; l++) {
    const p = `layers.${l}`;
    const normed = rmsNorm(g, x, `${p}.input_norm`, c.hidden);
    const [q, k, v] = ['q', 'k', 'v'].map((n) => g.splitHeads(g.linear(normed, `${p}.${n}_proj`, c.hidden, c.hidden, false), c.heads, headDim));
    const [pastDims, presentDims] = ['past_sequence_length', 'total_sequence_length'].map((n) => ['batch_size', c.heads, n, headDim]);
    const keys = g.node('Concat', [g.input(`past_key_values.${l}.key`, ELEM.float, pastDims), rotate(g, k, cos, sin, headDim)], { axis: 2 });
    const values = g.node('Concat', [g.input(`past_key_values.${l}.value`, ELEM.float, pastDims), v], { axis: 2 });
    g.output(`present.${l}.key`, keys, presentDims);
    g.output(`present.${l}.value`, values, presentDims);
    const attended = g.attention(rotate(g, q, cos, sin, headDim), keys, values, bias, c.heads, headDim);
    x = g.node('Add', [x, g.linear(attended, `${p}.o_proj`, c.hidden, c.hidden, false)]);
    const normed2 = rmsNorm(g, x, `${p}.post_norm`, c.hidden);
    const gate = g.linear(normed2, `${p}.gate_proj`, c.hidden, c.intermediate, false);
    const up = g.linear(normed2, `${p}.up_proj`, c.hidden, c.intermediate, false);
    const swiglu = g.node('Mul', [g.node('Mul', [gate, g.node('Sigmoid', [gate])]), up]);
    x = g.node('Add', [x, g.linear(swiglu, `${p}.down_proj`, c.intermediate, c.hidden, false)]);
  }
  const flat = g.node('Reshape', [rmsNorm(g, x, 'norm', c.hidden), g.ints([-1, c.hidden])]);
  // Tied head: Gemm with transB reads the embedding table as it is, without a transposed copy.
  const logits = g.node('Gemm', [flat, embeddings], { transB: 1 });
  const shape = g.node('Concat', [g.node('Shape', [ids]), g.ints([c.vocab])], { axis: 0 });
  g.output('logits', g.node('Reshape', [logits, shape]), ['batch_size', 'sequence_length', c.vocab]);
  return g;
}

export function llamaConfig(c) {
  return {
    architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: c.hidden, num_hidden_layers: c.layers,
    num_attention_heads: c.heads, num_key_value_heads: c.heads, head_dim: c.hidden / c.heads, intermediate_size: c.intermediate,
    vocab_size: c.vocab, max_position_embeddings: c.positions, rope_theta: c.theta, rms_norm_eps: 1e-6, hidden_act: 'silu',
    tie_word_embeddings: true, bos_token_id: 50256, eos_token_id: 50256, pad_token_id: 50256, use_cache: true,
  };
}
