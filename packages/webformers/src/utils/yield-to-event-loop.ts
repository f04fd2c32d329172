/**
 * Lets queued tasks (messages, timers, UI events) run before long work continues. Awaiting a promise only
 * yields to microtasks, so a generation loop that awaits every step would still starve a worker's message
 * port: an abort or the next stream pull from the main thread would wait until generation ends.
 * A MessageChannel round trip is a real task without `setTimeout(0)`'s clamping to 4 ms in browsers.
 */
const pending: (() => void)[] = [];
let channel: MessageChannel | undefined;

function postTask(resolve: () => void): void {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => pending.shift()?.();
  }
  pending.push(resolve);
  channel.port2.postMessage(null);
}

export function yieldToEventLoop(): Promise<void> {
  // Node: setImmediate is the task-queue yield, and an open MessageChannel port would keep the process alive.
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise(postTask);
}
