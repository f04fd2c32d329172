import { describe, expect, it } from 'vitest';
import { filePathProblem, modelIdProblem, revisionProblem } from './model-id.js';

describe('modelIdProblem', () => {
  it('accepts Hub repository ids with and without a namespace', () => {
    for (const id of ['gpt2', 'Xenova/bert-base-uncased', 'onnx-community/Qwen3-0.6B-ONNX', 'org_1/model.v1_2']) {
      expect(modelIdProblem(id), id).toBeNull();
    }
  });
  it('refuses ids that could leave the model folder or name another host', () => {
    for (const id of ['', '..', '../secrets', 'a/../../b', '/etc/passwd', 'https://evil.example/model', 'a/b/c', 'C:\\models\\x', './local']) {
      expect(modelIdProblem(id), id).not.toBeNull();
    }
  });
  it('applies the Hub rules on edges, "--" and ".git"', () => {
    for (const id of ['-model', 'model-', '.model', 'org/model.', 'a--b', 'org/name.git', `x/${'a'.repeat(97)}`]) {
      expect(modelIdProblem(id), id).not.toBeNull();
    }
    expect(modelIdProblem(`x/${'a'.repeat(96)}`)).toBeNull();
  });
});

describe('filePathProblem', () => {
  it('accepts relative paths inside the repository', () => {
    for (const file of ['config.json', 'onnx/model_q4f16.onnx', 'a b/c#d.json']) expect(filePathProblem(file), file).toBeNull();
  });
  it('refuses absolute, parent, empty-segment and backslash paths', () => {
    for (const file of ['', '/config.json', '../config.json', 'onnx/../../x', 'onnx//model.onnx', './config.json', 'onnx\\model.onnx']) {
      expect(filePathProblem(file), file).not.toBeNull();
    }
  });
});

describe('revisionProblem', () => {
  it('accepts branch, tag, commit and pull-request refs but not an empty string', () => {
    for (const revision of ['main', 'v1.0', 'refs/pr/1', '0123456789abcdef0123456789abcdef01234567']) expect(revisionProblem(revision)).toBeNull();
    expect(revisionProblem('')).not.toBeNull();
  });
});
