export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Smallest and largest of the repetitions, so a table shows how noisy a median is. */
export function spread(values) {
  return [Math.min(...values), Math.max(...values)];
}
