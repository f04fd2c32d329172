/** summarization, as Python's SummarizationPipeline: text2text-generation answering `summary_text`. */
import { Text2TextGenerationPipeline } from './text2text-generation.js';

export class SummarizationPipeline extends Text2TextGenerationPipeline {
  protected override readonly outputKey = 'summary_text';
}
