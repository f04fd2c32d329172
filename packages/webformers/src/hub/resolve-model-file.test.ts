import { describe, expect, it } from 'vitest';
import { env } from '../env.js';
import { isolateEnv } from '../../test/support/hub-fixtures.js';
import { ModelFileError } from './errors.js';
import { resolveModelFile } from './resolve-model-file.js';

describe('resolveModelFile', () => {
  isolateEnv();

  it('builds the Hub URL {host}{model}/resolve/{revision}/{file} with revision main by default', () => {
    env.remoteHost = 'https://huggingface.co/';
    env.remotePathTemplate = '{model}/resolve/{revision}/';
    const resolved = resolveModelFile('Xenova/gpt2', 'onnx/model.onnx');
    expect(resolved.remoteUrl).toBe('https://huggingface.co/Xenova/gpt2/resolve/main/onnx/model.onnx');
    expect(resolved.revision).toBe('main');
  });

  it('sends the revision as one URL-encoded segment, as the Hub expects', () => {
    env.remoteHost = 'https://hub.example';
    expect(resolveModelFile('org/m', 'config.json', { revision: 'refs/pr/1' }).remoteUrl).toBe('https://hub.example/org/m/resolve/refs%2Fpr%2F1/config.json');
  });

  it('joins settings with exactly one slash whether or not they end in one', () => {
    env.remoteHost = 'http://127.0.0.1:9/mirror/';
    env.remotePathTemplate = '/{model}/{revision}';
    expect(resolveModelFile('m', 'a.json', { revision: 'v2' }).remoteUrl).toBe('http://127.0.0.1:9/mirror/m/v2/a.json');
  });

  it('encodes file names in URLs but keeps them raw in filesystem paths', () => {
    env.remoteHost = 'https://h/';
    env.localModelPath = '/srv/models';
    const resolved = resolveModelFile('m', 'sub dir/x#1.json');
    expect(resolved.remoteUrl).toBe('https://h/m/resolve/main/sub%20dir/x%231.json');
    expect(resolved.localFromDisk).toBe(true);
    expect(resolved.localLocation).toBe('/srv/models/m/sub dir/x#1.json');
  });

  it('treats an http(s) localModelPath as a URL to fetch, even in Node', () => {
    env.localModelPath = 'http://127.0.0.1:8080/models/';
    const resolved = resolveModelFile('org/m', 'onnx/model.onnx');
    expect(resolved.localFromDisk).toBe(false);
    expect(resolved.localLocation).toBe('http://127.0.0.1:8080/models/org/m/onnx/model.onnx');
  });

  it('refuses ids and file names that could escape, with an invalid_id ModelFileError', () => {
    for (const [model, file] of [['../x', 'config.json'], ['https://evil.example/m', 'config.json'], ['m', '../../etc/passwd'], ['m', '/etc/passwd']]) {
      let caught: unknown;
      try {
        resolveModelFile(model, file);
      } catch (error) {
        caught = error;
      }
      expect(caught, `${model} ${file}`).toBeInstanceOf(ModelFileError);
      expect((caught as ModelFileError).reason).toBe('invalid_id');
      expect((caught as ModelFileError).message).toContain(`"${model}"`);
    }
  });
});
