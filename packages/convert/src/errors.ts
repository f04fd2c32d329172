/**
 * Every refusal names what failed and the way out. The converter would rather stop than
 * write a file that loads but computes something else.
 */
export class ConvertError extends Error {
  readonly code: string;
  readonly hint: string;

  constructor(code: string, message: string, hint: string) {
    super(`${message}\nHint: ${hint}`);
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
  }
}

/** The bytes are not a well-formed ONNX protobuf. */
export class OnnxFormatError extends ConvertError {
  readonly what: string;

  constructor(opts: { what: string; detail: string; hint: string }) {
    super('onnx_format', `Cannot read ${opts.what}: ${opts.detail}`, opts.hint);
    this.what = opts.what;
  }
}

export interface NodeRef {
  name: string;
  opType: string;
  domain: string;
}

function describeNode(node: NodeRef): string {
  const domain = node.domain ? `${node.domain}.` : '';
  return `node "${node.name || '(unnamed)'}" (${domain}${node.opType})`;
}

/** A node the converter cannot type or rewrite safely. */
export class UnsupportedNodeError extends ConvertError {
  readonly node: NodeRef;

  constructor(opts: { node: NodeRef; variant: string; detail: string; hint: string }) {
    super('unsupported_node', `${opts.variant}: cannot convert ${describeNode(opts.node)}: ${opts.detail}`, opts.hint);
    this.node = opts.node;
  }
}

/** A tensor whose weights live outside the .onnx file in a way we cannot follow. */
export class ExternalDataError extends ConvertError {
  readonly tensor: string;

  constructor(opts: { tensor: string; detail: string; hint: string }) {
    super('external_data', `Tensor "${opts.tensor}": ${opts.detail}`, opts.hint);
    this.tensor = opts.tensor;
  }
}

/** Options that do not make sense together or name an unknown variant. */
export class ConvertOptionError extends ConvertError {
  constructor(opts: { option: string; detail: string; hint: string }) {
    super('invalid_option', `Option ${opts.option}: ${opts.detail}`, opts.hint);
  }
}
