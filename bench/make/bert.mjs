// A BERT-base-sized sequence classifier (BertForSequenceClassification's graph: embeddings,
// post-norm encoder layers with erf GELU, tanh pooler, linear head) with random weights.
import { ELEM, GraphBuilder } from './graph-builder.mjs';

export const BERT_BASE = { hidden: 768, layers: 12, heads: 12, intermediate: 3072, vocab: 30522, positions: 512, types: 2, labels: 2 };

function layerNorm(g, x, name, hidden) {
  const gain = g.floats(`${name}.weight`, [hidden], new Float32Array(hidden).fill(1));
  const bias = g.floats(`${name}.bias`, [hidden], new Float32Array(hidden));
  return g.node('LayerNormalization', [x, gain, bias], { axis: -1, epsilon: 1e-12 });
}

// Python BERT's "gelu" is the exact erf form, not the tanh approximation.
function gelu(g, x) {
  const erf = g.node('Erf', [g.node('Mul', [x, g.scalar(Math.SQRT1_2)])]);
  return g.node('Mul', [g.node('Mul', [x, g.scalar(0.5)]), g.node('Add', [erf, g.scalar(1)])]);
}

export function bertGraph(c, seed) {
  const g = new GraphBuilder(seed);
  const ids = g.input('input_ids', ELEM.int64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', ELEM.int64, ['batch_size', 'sequence_length']);
  const types = g.input('token_type_ids', ELEM.int64, ['batch_size', 'sequence_length']);
  const positions = g.node('Range', [g.ints([0], []), g.dimOf(ids, 1), g.ints([1], [])]);
  const embedded = g.node('Add', [
    g.node('Add', [g.node('Gather', [g.weight('embeddings.word', [c.vocab, c.hidden]), ids]), g.node('Gather', [g.weight('embeddings.type', [c.types, c.hidden]), types])]),
    g.node('Gather', [g.weight('embeddings.position', [c.positions, c.hidden]), positions]),
  ]);
  let x = layerNorm(g, embedded, 'embeddings.norm', c.hidden);
  const bias = g.paddingBias(mask);
  const headDim = c.hidden / c.heads;
  for (let l = 0; l < c.layers; l++) {
    const p = `layer.${l}`;
    const [q, k, v] = ['query', 'key', 'value'].map((n) => g.splitHeads(g.linear(x, `${p}.${n}`, c.hidden, c.hidden), c.heads, headDim));
    const attended = g.linear(g.attention(q, k, v, bias, c.heads, headDim), `${p}.attention.output`, c.hidden, c.hidden);
    x = layerNorm(g, g.node('Add', [attended, x]), `${p}.attention.norm`, c.hidden);
    const inner = gelu(g, g.linear(x, `${p}.intermediate`, c.hidden, c.intermediate));
    x = layerNorm(g, g.node('Add', [g.linear(inner, `${p}.output`, c.intermediate, c.hidden), x]), `${p}.output.norm`, c.hidden);
  }
  const first = g.node('Gather', [x, g.ints([0], [])], { axis: 1 });
  const pooled = g.node('Tanh', [g.linear(first, 'pooler', c.hidden, c.hidden)]);
  g.output('logits', g.linear(pooled, 'classifier', c.hidden, c.labels), ['batch_size', c.labels]);
  return g;
}

export function bertConfig(c) {
  return {
    architectures: ['BertForSequenceClassification'], model_type: 'bert', hidden_size: c.hidden, num_hidden_layers: c.layers,
    num_attention_heads: c.heads, intermediate_size: c.intermediate, vocab_size: c.vocab, max_position_embeddings: c.positions,
    type_vocab_size: c.types, hidden_act: 'gelu', layer_norm_eps: 1e-12, pad_token_id: 0,
    id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' }, label2id: { NEGATIVE: 0, POSITIVE: 1 },
  };
}
