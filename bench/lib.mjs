// Small helpers the benchmark scripts share.
import net from 'node:net'

/// A TCP port free on the loopback interface right now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/// Nearest-rank quantile of the finite values in `xs` (null when there are none).
export function quantile(xs, q) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (!s.length) return null
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
}

/// Flags for Debian's Chromium. The last one matters for timing: Chromium 15x renders the omnibox popup as WebUI in
/// a renderer of its own, preloaded for every new window (every Playwright page), and on a 2-core machine that
/// renderer took about a core for the length of an app page load. A person's Chromium does this once per window,
/// not once per measured load.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup,PreloadTopChromeWebUI',
]
