/**
 * The compiler's proof that the main-thread proxies and the in-thread objects offer the same
 * calls (these checks run in `tsc`; the runtime assertions only keep vitest from calling the file
 * empty).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ModelStore } from '../cache/index.js';
import type { AutoModelForCausalLM, AutoModelForSeq2SeqLM, GenerativeModel, TextIteratorStreamer as InThreadIteratorStreamer, TextStreamer as InThreadTextStreamer } from '../generation/index.js';
import type { PreTrainedModel } from '../models/pretrained-model.js';
import type { LabelScore, PipelineTask, PipelineTypes, TextClassificationInput, TextClassificationOptions } from '../pipelines/index.js';
import type { PreTrainedTokenizer } from '../tokenizers/index.js';
import type { WorkerClient } from './client.js';
import {
  TOKENIZER_PROPERTIES,
  type ModelFacts, type PipelineSurface, type RemoteCache, type RemoteGenerativeModel, type RemoteModel, type RemotePipeline, type RemoteTokenizer, type WorkerApi,
} from './protocol.js';
import type { TextIteratorStreamer, TextStreamer } from './remote-streamers.js';
import type { WorkerHost } from './host.js';

describe('the worker protocol', () => {
  it('every in-thread pipeline offers what its remote counterpart offers', () => {
    expectTypeOf<PipelineTypes['text-classification']>().toMatchTypeOf<PipelineSurface<'text-classification'>>();
    expectTypeOf<PipelineTypes['ner']>().toMatchTypeOf<PipelineSurface<'ner'>>();
    expectTypeOf<PipelineTypes['question-answering']>().toMatchTypeOf<PipelineSurface<'question-answering'>>();
    expectTypeOf<PipelineTypes['fill-mask']>().toMatchTypeOf<PipelineSurface<'fill-mask'>>();
    expectTypeOf<PipelineTypes['feature-extraction']>().toMatchTypeOf<PipelineSurface<'feature-extraction'>>();
    expectTypeOf<PipelineTypes['zero-shot-classification']>().toMatchTypeOf<PipelineSurface<'zero-shot-classification'>>();
    expectTypeOf<PipelineTypes['text-generation']>().toMatchTypeOf<PipelineSurface<'text-generation'>>();
    expectTypeOf<PipelineTypes['text2text-generation']>().toMatchTypeOf<PipelineSurface<'text2text-generation'>>();
    expectTypeOf<RemotePipeline<PipelineTask>>().toMatchTypeOf<PipelineSurface<PipelineTask>>();
    expectTypeOf<Parameters<RemotePipeline<'text-classification'>>>().toEqualTypeOf<[TextClassificationInput | TextClassificationInput[], TextClassificationOptions?]>();
    expectTypeOf<Awaited<ReturnType<RemotePipeline<'text-classification'>>>>().toMatchTypeOf<LabelScore[] | LabelScore[][] | LabelScore>();
    expect(true).toBe(true);
  });

  it('an in-thread model is a RemoteModel, and the remote model is callable the same way', () => {
    expectTypeOf<PreTrainedModel>().toMatchTypeOf<RemoteModel>();
    expectTypeOf<Parameters<RemoteModel>>().toEqualTypeOf<Parameters<PreTrainedModel['forward']>>();
    expect(true).toBe(true);
  });

  it('a generating model offers generate() and generation_config in-thread and through the worker, loaded the same way', () => {
    expectTypeOf<GenerativeModel>().toMatchTypeOf<RemoteGenerativeModel>();
    expectTypeOf<Parameters<RemoteGenerativeModel['generate']>[0]>().toMatchTypeOf<Omit<Parameters<GenerativeModel['generate']>[0], 'tokenizer'>>();
    expectTypeOf<ReturnType<RemoteGenerativeModel['generate']>>().toEqualTypeOf<ReturnType<GenerativeModel['generate']>>();
    expectTypeOf<Parameters<WorkerClient['AutoModelForCausalLM']['from_pretrained']>>().toEqualTypeOf<Parameters<typeof AutoModelForCausalLM['from_pretrained']>>();
    expectTypeOf<Parameters<WorkerClient['AutoModelForSeq2SeqLM']['from_pretrained']>>().toEqualTypeOf<Parameters<typeof AutoModelForSeq2SeqLM['from_pretrained']>>();
    expect(true).toBe(true);
  });

  it('a pipeline offers its tokenizer and its model facts (choice included) in-thread and through the worker', () => {
    expectTypeOf<PipelineTypes['text-generation']['model']>().toMatchTypeOf<ModelFacts>();
    expectTypeOf<RemotePipeline<'text-generation'>['model']>().toMatchTypeOf<ModelFacts>();
    expectTypeOf<RemotePipeline<'text-generation'>['tokenizer']>().toEqualTypeOf<RemoteTokenizer>();
    expectTypeOf<RemoteModel['choice']>().toEqualTypeOf<PreTrainedModel['choice']>();
    expect(true).toBe(true);
  });

  it('the streamers of webformers/worker take the options of the in-thread ones', () => {
    expectTypeOf<ConstructorParameters<typeof TextStreamer>[1]>().toEqualTypeOf<ConstructorParameters<typeof InThreadTextStreamer>[1]>();
    expectTypeOf<ConstructorParameters<typeof TextIteratorStreamer>[1]>().toEqualTypeOf<ConstructorParameters<typeof InThreadIteratorStreamer>[1]>();
    expectTypeOf<TextIteratorStreamer>().toMatchTypeOf<AsyncIterable<string>>();
    expect(true).toBe(true);
  });

  it('the remote tokenizer mirrors the in-thread methods and properties', () => {
    expectTypeOf<Parameters<RemoteTokenizer['decode']>>().toEqualTypeOf<Parameters<PreTrainedTokenizer['decode']>>();
    expectTypeOf<Awaited<ReturnType<RemoteTokenizer['encode']>>>().toEqualTypeOf<ReturnType<PreTrainedTokenizer['encode']>>();
    expectTypeOf<RemoteTokenizer['eos_token_id']>().toEqualTypeOf<PreTrainedTokenizer['eos_token_id']>();
    expect(TOKENIZER_PROPERTIES.length).toBe(new Set(TOKENIZER_PROPERTIES).size);
  });

  it('the worker store offers the remote cache operations, and the host implements the whole API', () => {
    expectTypeOf<ModelStore>().toMatchTypeOf<Omit<RemoteCache, 'persist'>>();
    expectTypeOf<Pick<ModelStore, 'persist'>>().toMatchTypeOf<Pick<RemoteCache, 'persist'>>();
    expectTypeOf<WorkerHost>().toMatchTypeOf<WorkerApi>();
    expectTypeOf<WorkerClient['cache']>().toEqualTypeOf<RemoteCache>();
    expect(true).toBe(true);
  });
});
