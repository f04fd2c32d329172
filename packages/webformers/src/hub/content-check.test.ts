import { describe, expect, it } from 'vitest';
import { contentProblem, isHtmlResponse } from './content-check.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('isHtmlResponse', () => {
  it('flags text/html for model files but not for HTML files', () => {
    expect(isHtmlResponse('text/html; charset=utf-8', 'config.json')).toBe(true);
    expect(isHtmlResponse('TEXT/HTML', 'onnx/model.onnx')).toBe(true);
    expect(isHtmlResponse('text/html', 'README.html')).toBe(false);
    expect(isHtmlResponse('application/json', 'config.json')).toBe(false);
    expect(isHtmlResponse(null, 'config.json')).toBe(false);
  });
});

describe('contentProblem', () => {
  it('flags JSON and ONNX files whose body is markup, even after a BOM or blank lines', () => {
    expect(contentProblem('config.json', bytes('<!DOCTYPE html><html></html>'))).not.toBeNull();
    expect(contentProblem('onnx/model.onnx', bytes('\n\n  <html>'))).not.toBeNull();
    expect(contentProblem('config.json', new Uint8Array([0xef, 0xbb, 0xbf, 0x3c, 0x68]))).not.toBeNull();
  });
  it('accepts real JSON and text files that start with "<"', () => {
    expect(contentProblem('config.json', bytes(' {"a": "<b>"}'))).toBeNull();
    expect(contentProblem('vocab.txt', bytes('<pad>\n<unk>\n'))).toBeNull();
    expect(contentProblem('config.json', new Uint8Array(0))).toBeNull();
  });
});
