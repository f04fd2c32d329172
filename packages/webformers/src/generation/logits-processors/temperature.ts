import { InvalidArgumentError } from '../../utils/errors.js';
import type { TokenRows } from '../types.js';
import type { LogitsProcessor } from './types.js';

/** Divides scores by the temperature: < 1 sharpens the distribution, > 1 flattens it. */
export class TemperatureLogitsWarper implements LogitsProcessor {
  constructor(readonly temperature: number) {
    if (!(temperature > 0)) {
      throw new InvalidArgumentError(`temperature must be > 0, got ${temperature}.`, { hint: 'For deterministic output use do_sample: false instead of temperature 0.' });
    }
  }

  apply(_inputIds: TokenRows, scores: Float32Array[]): void {
    for (const row of scores) for (let i = 0; i < row.length; i++) row[i] = row[i] / this.temperature;
  }
}
