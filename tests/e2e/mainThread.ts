// What the page's main thread did while a Chromium trace ran: one entry per task, wall and CPU
// time. Used by tests/e2e/responsiveness.spec.ts and the `train-ui` benchmark.
import type { Browser, Page } from '@playwright/test';

export interface MainThreadTask {
  wallMs: number;
  cpuMs: number;
}

type TraceEvent = {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
};

/** Categories whose RunTask events carry thread (CPU) time. */
export const TASK_TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

export function startTaskTrace(browser: Browser, page: Page): Promise<void> {
  return browser.startTracing(page, { categories: TASK_TRACE_CATEGORIES });
}

/** Every task of the renderer main thread in a Chromium trace. */
export function mainThreadTasks(trace: Buffer): MainThreadTask[] {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const main = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`));
  // Without thread times every task would read 0 ms of CPU and no check on them could fail.
  if (tasks.some((e) => e.tdur === undefined)) throw new Error('the trace has no thread times (tdur) for RunTask');
  return tasks.map((e) => ({ wallMs: Math.round(e.dur! / 100) / 10, cpuMs: Math.round(e.tdur! / 100) / 10 }));
}

// Runs in the page before any app script: every long task, on performance.now()'s clock.
export const OBSERVE_LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
`;

export type LongTask = { start: number; duration: number };

export function longTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => (window as unknown as { __longTasks: LongTask[] }).__longTasks.slice());
}
