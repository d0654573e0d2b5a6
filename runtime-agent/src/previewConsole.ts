import { PREVIEW_CONSOLE_PATH } from '@slipway/shared'

/// The preview console on the local runtime: the preview proxy serves the shared `previewConsoleScript` (the same
/// one WebContainer injects) at `PREVIEW_CONSOLE_PATH` on the preview's own origin and adds a `<script src>` for it at
/// the top of every HTML page it proxies. A same-origin file rather than an inline script, so a page's own CSP
/// (`script-src 'self'`) and the preview's COEP allow it as they allow the page's own scripts.
export { previewConsoleScript } from '@slipway/shared'

/// The tag `injectPreviewConsole` adds. Classic and synchronous: it runs before the page's own scripts.
export const PREVIEW_CONSOLE_TAG = `<script src="${PREVIEW_CONSOLE_PATH}"></script>`

/// Adds the script tag right after `<head …>` (or `<html …>`, or after the doctype, or at the very start), once.
export function injectPreviewConsole(html: string): string {
  if (html.includes(PREVIEW_CONSOLE_TAG)) return html
  for (const re of [/<head(?:\s[^>]*)?>/i, /<html(?:\s[^>]*)?>/i, /<!doctype[^>]*>/i]) {
    const m = re.exec(html)
    if (m) return html.slice(0, m.index + m[0].length) + PREVIEW_CONSOLE_TAG + html.slice(m.index + m[0].length)
  }
  return PREVIEW_CONSOLE_TAG + html
}
