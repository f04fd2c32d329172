/**
 * Chat templates: pick the Jinja template (tokenizer_config `chat_template`, a string or named list,
 * or one passed in) and render it with @huggingface/jinja, giving the template the same variables
 * Python transformers does (messages, tools, documents, add_generation_prompt, the special tokens).
 */
import { Template } from '@huggingface/jinja';
import { WebformersError } from '../utils/errors.js';

export interface ChatMessage {
  role: string;
  content: unknown;
  [key: string]: unknown;
}

export interface ChatTemplateOptions {
  /** A template string, or the name of one of tokenizer_config's named templates. */
  chat_template?: string | null;
  add_generation_prompt?: boolean;
  tools?: unknown[] | null;
  documents?: unknown[] | null;
  /** Extra variables for the template. */
  template_kwargs?: Record<string, unknown>;
}

/** No usable chat template, or the template failed to render. */
export class ChatTemplateError extends WebformersError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('chat_template', message, { hint, cause });
  }
}

/** Python's choice: an explicit template or name, else "tool_use" when tools are given and it exists, else "default". */
export function selectChatTemplate(
  configured: string | Record<string, string> | null,
  requested: string | null | undefined,
  hasTools: boolean,
): string {
  if (typeof configured === 'object' && configured !== null) {
    if (requested && requested in configured) return configured[requested];
    if (requested) return requested;
    if (hasTools && 'tool_use' in configured) return configured.tool_use;
    if ('default' in configured) return configured.default;
    throw new ChatTemplateError(
      `This tokenizer has named chat templates (${Object.keys(configured).join(', ')}) but none called "default".`,
      'Pass chat_template with one of those names.',
    );
  }
  const template = requested ?? configured;
  if (!template) {
    throw new ChatTemplateError('This tokenizer has no chat template.', 'Pass chat_template (a Jinja template string) in the options.');
  }
  return template;
}

const compiled = new Map<string, Template>();

export function renderChatTemplate(
  template: string,
  messages: ChatMessage[],
  options: ChatTemplateOptions,
  specialTokens: Record<string, unknown>,
): string {
  let t = compiled.get(template);
  if (!t) {
    try {
      t = new Template(template);
    } catch (err) {
      throw new ChatTemplateError(`The chat template does not parse: ${(err as Error).message}`, 'Check the Jinja syntax of the template.', err);
    }
    compiled.set(template, t);
  }
  try {
    return t.render({
      ...specialTokens,
      ...options.template_kwargs,
      messages,
      add_generation_prompt: options.add_generation_prompt ?? false,
      tools: options.tools ?? null,
      documents: options.documents ?? null,
    });
  } catch (err) {
    throw new ChatTemplateError(`The chat template failed to render: ${(err as Error).message}`, 'Check the messages match what the template expects.', err);
  }
}
