// Flags from ../shared/BROWSER.md: WebGPU needs --enable-unsafe-webgpu headless; the
// background-networking flags stop Chromium from hammering this machine's closed network.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}
