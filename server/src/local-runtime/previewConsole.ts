import { PREVIEW_CONSOLE_LIMITS, PREVIEW_CONSOLE_PATH, PREVIEW_CONSOLE_SOURCE } from '@slipway/shared'

/// The preview console on the local runtime: the preview proxy serves `previewConsoleScript` at
/// `PREVIEW_CONSOLE_PATH` on the preview's own origin and adds a `<script src>` for it at the top of every HTML page it
/// proxies. A same-origin file rather than an inline script, so the app's own CSP (`script-src 'self'`) and the
/// preview's COEP allow it as they allow the app's scripts.

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

/// The script. It posts to the parent only, and only to `parentOrigin` (the IDE origin that opened the agent
/// connection) when known; a page opened on its own (no parent) posts nothing.
export function previewConsoleScript(parentOrigin: string | undefined): string {
  return `// Slipway preview console: forwards this page's errors to the IDE that frames it.
(function () {
  'use strict';
  if (window.parent === window) return;
  var target = ${JSON.stringify(parentOrigin ?? '*')};
  var source = ${JSON.stringify(PREVIEW_CONSOLE_SOURCE)};
  var MAX_MESSAGE = ${PREVIEW_CONSOLE_LIMITS.message}, MAX_STACK = ${PREVIEW_CONSOLE_LIMITS.stack};
  function cut(text, max) { text = String(text); return text.length > max ? text.slice(0, max - 1) + '\\u2026' : text; }
  function format(arg) {
    if (typeof arg === 'string') return arg;
    if (arg instanceof Error) return arg.stack || (arg.name + ': ' + arg.message);
    if (arg === undefined || typeof arg === 'function' || typeof arg === 'symbol' || typeof arg === 'bigint') return String(arg);
    try { var json = JSON.stringify(arg); return json === undefined ? String(arg) : json; } catch (e) { return String(arg); }
  }
  function post(kind, message, stack) {
    var data = { source: source, level: 'error', kind: kind, message: cut(message, MAX_MESSAGE) };
    if (stack) data.stack = cut(stack, MAX_STACK);
    try { window.parent.postMessage(data, target); } catch (e) { /* the parent went away */ }
  }
  window.addEventListener('error', function (event) {
    // Failed resource loads reach window listeners only in the capture phase; this one sees script errors.
    if (!(event instanceof ErrorEvent)) return;
    var error = event.error;
    post('uncaught-exception', error instanceof Error ? error.name + ': ' + error.message : event.message, error && error.stack);
  });
  window.addEventListener('unhandledrejection', function (event) {
    var reason = event.reason;
    post('unhandled-rejection', reason instanceof Error ? reason.name + ': ' + reason.message : format(reason), reason && reason.stack);
  });
  var original = console.error;
  console.error = function () {
    var args = Array.prototype.slice.call(arguments);
    post('console', args.map(format).join(' '));
    return original.apply(this, arguments);
  };
})();
`
}
