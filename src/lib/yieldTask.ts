// Hands control back to the event loop, so that queued messages (stop, pause, a new request) are
// handled between long synchronous steps. Not setTimeout(0): the HTML timer rules clamp nested
// timeouts to at least 4 ms, and a loop that yields after every step nests them at once (measured:
// 4.1 ms per yield in a Chromium worker, 1.2 ms in Node) — longer than a whole frozen-encoder head
// step. A MessageChannel message is a task without that clamp (0.013 ms per yield in the same
// worker). Node has setImmediate (0.03 ms); a Node MessagePort would keep the process alive.

type Resolve = () => void;
let channel: { post: () => void; waiting: Resolve[] } | null = null;

function messageChannel(): { post: () => void; waiting: Resolve[] } {
  if (channel) return channel;
  const ch = new MessageChannel();
  const waiting: Resolve[] = [];
  ch.port1.onmessage = () => waiting.shift()?.();
  return (channel = { post: () => ch.port2.postMessage(null), waiting });
}

/** Resolves in a later task of the event loop, without the timer clamp where the platform allows. */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    const c = messageChannel();
    return new Promise((resolve) => {
      c.waiting.push(resolve);
      c.post();
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
