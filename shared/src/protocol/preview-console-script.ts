import { PREVIEW_CONSOLE_LEVELS, PREVIEW_CONSOLE_LIMITS, PREVIEW_CONSOLE_SOURCE } from './preview-console.ts'

/// The script both runtimes load into every preview page, before the page's own scripts. It forwards the page's
/// console (log, info, warn, error, debug, formatted as a console shows them) and its uncaught errors and unhandled
/// rejections to the IDE page that frames it, as `PreviewConsoleMessage`s; every console call still reaches the
/// browser's own console. It posts to the parent only, and only to `parentOrigin` (the IDE's origin) when known; a
/// page opened on its own (no parent) gets nothing installed.
///
/// Bounded on the page side: each argument is formatted with a character budget (depth 3, 100 items, 50 keys,
/// cycles marked), messages and stacks are cut to `PREVIEW_CONSOLE_LIMITS`, and past `perSecond` messages a second
/// the rest are dropped and counted in one warning. Plain ES5 in a string: it runs in whatever page the person's
/// project serves, untouched by the IDE's bundler.
export function previewConsoleScript(parentOrigin: string | undefined): string {
  const L = PREVIEW_CONSOLE_LIMITS
  return `// Slipway preview console: forwards this page's console and uncaught errors to the IDE that frames it.
(function () {
  'use strict';
  var KEY = '__slipwayPreviewConsole';
  if (window.parent === window || window[KEY]) return;
  try { Object.defineProperty(window, KEY, { value: true }); } catch (e) { return; }
  var parent = window.parent, target = ${JSON.stringify(parentOrigin ?? '*')}, source = ${JSON.stringify(PREVIEW_CONSOLE_SOURCE)};
  var LEVELS = ${JSON.stringify(PREVIEW_CONSOLE_LEVELS)};
  var MAX_MESSAGE = ${L.message}, MAX_STACK = ${L.stack}, PER_SECOND = ${L.perSecond};
  var now = Date.now, later = window.setTimeout, ErrorClass = Error;

  function cut(text, max) { return text.length > max ? text.slice(0, max - 1) + '\\u2026' : text; }
  function errorText(error, withStack) {
    var head = String(error.name || 'Error') + ': ' + String(error.message);
    var stack = typeof error.stack === 'string' ? error.stack : '';
    if (!withStack || !stack) return head;
    return stack.indexOf(String(error.message)) >= 0 ? stack : head + '\\n' + stack;
  }

  // One value as a console shows it, spending at most budget.left characters: past that, an ellipsis.
  function show(value, depth, seen, nested, budget) {
    if (budget.left <= 0) return '\\u2026';
    var text = describe(value, depth, seen, nested, budget);
    budget.left -= Math.max(text.length, 1);
    return text;
  }
  function key(name) { return /^[A-Za-z_$][\\w$]*$/.test(name) ? name : JSON.stringify(name); }
  function describe(value, depth, seen, nested, budget) {
    var type = typeof value;
    if (type === 'string') return nested ? JSON.stringify(cut(value, MAX_MESSAGE)) : cut(value, MAX_MESSAGE);
    if (value === null || value === undefined || type === 'number' || type === 'boolean') return String(value);
    if (type === 'bigint') return String(value) + 'n';
    if (type === 'symbol') return value.toString();
    if (type === 'function') return '\\u0192 ' + (value.name || 'anonymous') + '()';
    // By tag rather than instanceof: values may come from another frame of the page.
    var tag = Object.prototype.toString.call(value);
    if (tag === '[object Error]' || value instanceof ErrorClass) return errorText(value, !nested);
    if (seen.indexOf(value) >= 0) return '[Circular]';
    if (typeof Node === 'function' && value instanceof Node) {
      if (value.nodeType !== 1) return String(value.nodeName).toLowerCase();
      return '<' + value.nodeName.toLowerCase() + (value.id ? '#' + value.id : '') + '>';
    }
    if (tag === '[object Date]') return isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (tag === '[object RegExp]') return String(value);
    if (tag === '[object Map]' || tag === '[object Set]') return tag.slice(8, -1) + '(' + value.size + ')';
    if (depth >= 3) return Array.isArray(value) ? '[\\u2026]' : '{\\u2026}';
    seen.push(value);
    try {
      var parts = [], i, n;
      if (Array.isArray(value)) {
        n = Math.min(value.length, 100);
        for (i = 0; i < n && budget.left > 0; i++) parts.push(show(value[i], depth + 1, seen, true, budget));
        if (value.length > i) parts.push('\\u2026 ' + (value.length - i) + ' more');
        return '[' + parts.join(', ') + ']';
      }
      var keys = Object.keys(value);
      n = Math.min(keys.length, 50);
      for (i = 0; i < n && budget.left > 0; i++) parts.push(key(keys[i]) + ': ' + show(value[keys[i]], depth + 1, seen, true, budget));
      if (keys.length > i) parts.push('\\u2026');
      var proto = Object.getPrototypeOf(value);
      var name = proto && proto.constructor && proto.constructor.name;
      if (name === 'Object') name = '';
      return (name ? name + ' ' : '') + '{' + parts.join(', ') + '}';
    } catch (e) {
      return Object.prototype.toString.call(value);
    } finally {
      seen.pop();
    }
  }

  // console.log's arguments as one line: printf-style substitutions in a leading string (%s %d %i %f %o %O %c),
  // then the rest separated by spaces.
  function format(args) {
    var budget = { left: MAX_MESSAGE }, out = [], next = 0;
    if (typeof args[0] === 'string' && args.length > 1 && args[0].indexOf('%') >= 0) {
      next = 1;
      out.push(args[0].replace(/%([sdifoOc%])/g, function (match, f) {
        if (f === '%') return '%';
        if (next >= args.length) return match;
        var arg = args[next++];
        if (f === 'c') return '';
        if (f === 'd' || f === 'i') { var n = typeof arg === 'symbol' ? NaN : Number(arg); return isNaN(n) ? 'NaN' : String(n < 0 ? Math.ceil(n) : Math.floor(n)); }
        if (f === 'f') return typeof arg === 'symbol' ? 'NaN' : String(Number(arg));
        return show(arg, 0, [], f !== 's', budget);
      }));
    }
    for (; next < args.length; next++) out.push(show(args[next], 0, [], false, budget));
    return cut(out.join(' '), MAX_MESSAGE);
  }

  var windowStart = 0, sent = 0, dropped = 0, timer = null;
  function post(data) {
    try { parent.postMessage(data, target); } catch (e) { /* the parent went away */ }
  }
  function reportDropped() {
    if (!dropped) return;
    var n = dropped;
    dropped = 0;
    sent++;
    post({ source: source, kind: 'console', level: 'warn', message: n + ' more console message' + (n === 1 ? ' was' : 's were') + ' not shown: the page logged more than ' + PER_SECOND + ' a second.' });
  }
  function send(data) {
    var t = now();
    if (t - windowStart >= 1000) {
      windowStart = t;
      sent = 0;
      reportDropped();
    }
    if (sent >= PER_SECOND) {
      dropped++;
      if (timer === null) timer = later(function () { timer = null; if (now() - windowStart >= 1000) { windowStart = now(); sent = 0; } reportDropped(); }, 1000 - (t - windowStart));
      return;
    }
    sent++;
    data.source = source;
    if (data.stack) data.stack = cut(data.stack, MAX_STACK);
    else delete data.stack;
    post(data);
  }

  // Where a console.error or console.warn was called from, without this script's own frames.
  function callerStack() {
    var lines = String(new ErrorClass().stack || '').split('\\n');
    if (/^Error/.test(lines[0])) lines.shift();
    return lines.slice(1).join('\\n');
  }

  var busy = false;
  LEVELS.forEach(function (level) {
    var original = console[level];
    if (typeof original !== 'function') return;
    console[level] = function () {
      // busy: a getter or toString that logs while being formatted is not forwarded again.
      if (!busy) {
        busy = true;
        try {
          send({ kind: 'console', level: level, message: format(arguments), stack: level === 'error' || level === 'warn' ? callerStack() : '' });
        } catch (e) {
          /* never break the page's own logging */
        } finally {
          busy = false;
        }
      }
      return original.apply(this, arguments);
    };
  });

  window.addEventListener('error', function (event) {
    // Failed resource loads are plain Events (and reach window only when captured); this one sees script errors.
    if (!(event instanceof ErrorEvent)) return;
    var error = event.error;
    var message = error instanceof ErrorClass ? errorText(error, false)
      : error !== undefined && error !== null ? format([error])
      : String(event.message || 'Script error.').replace(/^Uncaught /, '');
    send({ kind: 'uncaught-exception', level: 'error', message: cut(message, MAX_MESSAGE), stack: error && typeof error.stack === 'string' ? error.stack : '' });
  });
  window.addEventListener('unhandledrejection', function (event) {
    var reason = event.reason;
    var message = reason instanceof ErrorClass ? errorText(reason, false) : format([reason]);
    send({ kind: 'unhandled-rejection', level: 'error', message: cut(message, MAX_MESSAGE), stack: reason && typeof reason.stack === 'string' ? reason.stack : '' });
  });
})();
`
}
