/**
 * The compiler's proof that the main-thread proxies and the in-thread objects offer the same
 * calls (these checks run in `tsc`; the runtime assertions only keep vitest from calling the file
 * empty).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ModelStore } from '../cache/index.js';
import type { PreTrainedModel } from '../models/pretrained-model.js';
import type { LabelScore, PipelineTask, PipelineTypes, TextClassificationInput, TextClassificationOptions } from '../pipelines/index.js';
import type { PreTrainedTokenizer } from '../tokenizers/index.js';
import type { WorkerClient } from './client.js';
import { TOKENIZER_PROPERTIES, type PipelineSurface, type RemoteCache, type RemoteModel, type RemotePipeline, type RemoteTokenizer, type WorkerApi } from './protocol.js';
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
