/**
 * The models offered per task: the one embedded with the app (served from its own origin, so
 * the demo works with no network) and well-known Hub repositories converted for transformers.js.
 */
export type TaskId = 'generate' | 'ner' | 'classify' | 'qa';

export interface ModelChoice {
  id: string;
  label: string;
  /** Files shipped under the app's `models/` folder (only fp32 graphs). */
  embedded: boolean;
  /** One line under the picker: what the model is. */
  note: string;
}

const embedded = (id: string, note: string): ModelChoice => ({ id, label: `${id} (embedded)`, embedded: true, note });
const hub = (id: string, note: string): ModelChoice => ({ id, label: id, embedded: false, note });

export const MODELS: Readonly<Record<TaskId, readonly ModelChoice[]>> = {
  generate: [
    embedded('stories-lm', 'GPT-2 style, 3.4M parameters, trained on children’s stories; 15 MB, served by this app.'),
    hub('Xenova/distilgpt2', 'DistilGPT-2, 82M parameters, from the Hub.'),
    hub('Xenova/gpt2', 'GPT-2, 124M parameters, from the Hub.'),
    hub('onnx-community/Qwen2.5-0.5B-Instruct', 'Qwen2.5 0.5B Instruct: a chat model, from the Hub.'),
    hub('HuggingFaceTB/SmolLM2-135M-Instruct', 'SmolLM2 135M Instruct: a small chat model, from the Hub.'),
  ],
  ner: [
    embedded('ner-conll03', 'Small BERT trained on CoNLL-2003 (entity F1 67.5); 9 MB, served by this app.'),
    hub('Xenova/bert-base-NER', 'BERT base fine-tuned on CoNLL-2003, from the Hub.'),
    hub('Xenova/bert-base-multilingual-cased-ner-hrl', 'Multilingual BERT, 10 languages, from the Hub.'),
  ],
  classify: [
    embedded('sentiment-sst2', 'Small BERT trained on SST-2 (79.2% accuracy); 9 MB, served by this app.'),
    hub('Xenova/distilbert-base-uncased-finetuned-sst-2-english', 'DistilBERT on SST-2 (91% accuracy), from the Hub.'),
    hub('Xenova/twitter-roberta-base-sentiment-latest', 'RoBERTa on tweets: negative / neutral / positive, from the Hub.'),
    hub('Xenova/toxic-bert', 'BERT toxicity labels (several can apply), from the Hub.'),
  ],
  qa: [
    embedded('qa-squad', 'Small BERT, a quarter epoch of SQuAD: weak (EM 3.7 / F1 9.3); 9 MB, served by this app.'),
    hub('Xenova/distilbert-base-cased-distilled-squad', 'DistilBERT distilled on SQuAD (F1 87), from the Hub.'),
    hub('Xenova/distilbert-base-uncased-distilled-squad', 'DistilBERT, uncased, on SQuAD, from the Hub.'),
  ],
};

export const EMBEDDED_IDS: ReadonlySet<string> = new Set(Object.values(MODELS).flat().filter((m) => m.embedded).map((m) => m.id));

export function isEmbedded(modelId: string): boolean {
  return EMBEDDED_IDS.has(modelId);
}

/** Where the embedded models are served from: the app's own origin, under its base path. */
export function embeddedModelsURL(): string {
  return new URL(`${import.meta.env.BASE_URL}models/`, globalThis.location.href).href;
}
