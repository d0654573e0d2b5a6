/// How Slipway drives Chromium on its test machines: the e2e suite (playwright.config.ts, durability.spec.ts) and the
/// benchmarks (bench/, through `@slipway/e2e/chromium`) launch it with exactly these, so a measured page load and a
/// tested one run in the same browser. Kept apart from playwright.config.ts, which makes a data folder when imported.

/// Debian's Chromium; Playwright's own browser download cannot run on machines without internet.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/// Its flags. The last one matters for timing: Chromium 15x renders the omnibox popup as WebUI in a renderer of its
/// own, preloaded for every new window (each Playwright page), and on a 2-core machine that renderer took about a
/// core for the length of an app page load. A person's Chromium does this once per window, not once per page load.
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup,PreloadTopChromeWebUI',
]
