// The longest task the page's main thread ran, read from a Chrome trace. PerformanceObserver's
// 'longtask' entries are not recorded in headless Chromium (an in-thread transformers.js run that
// blocks the page for seconds yields none), and heartbeat gaps also count time the OS gave the
// thread's core to someone else; the trace names each main-thread task with its wall and CPU time.

/** Wall and CPU milliseconds of every task the renderer main thread ran, from trace events. */
export function mainThreadTasks(events) {
  const main = new Set(events
    .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  return events
    .filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && main.has(`${e.pid}:${e.tid}`))
    .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000 }));
}

/** Runs `work()` with a trace of the page's tasks (CDP session `cdp`); returns the longest task's wall and CPU ms. */
export async function longestMainThreadTask(cdp, work) {
  const events = [];
  const collect = ({ value }) => events.push(...value);
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline', transferMode: 'ReportEvents' });
  try {
    await work();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', collect);
  }
  const tasks = mainThreadTasks(events);
  if (tasks.length === 0) throw new Error('the trace holds no main-thread task: is the page alive?');
  return { wallMs: Math.max(...tasks.map((t) => t.wallMs)), cpuMs: Math.max(...tasks.map((t) => t.cpuMs)) };
}
