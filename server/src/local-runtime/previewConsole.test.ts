import { runInNewContext } from 'node:vm'
import { PREVIEW_CONSOLE_PATH, PreviewConsoleMessageSchema } from '@slipway/shared'
import { expect, it } from 'vitest'
import { injectPreviewConsole, PREVIEW_CONSOLE_TAG, previewConsoleScript } from './previewConsole.ts'

it.each([
  ['<!doctype html><html lang="en"><head><title>x</title></head><body></body></html>', `<!doctype html><html lang="en"><head>${PREVIEW_CONSOLE_TAG}<title>x</title></head><body></body></html>`],
  ['<HEAD data-x="1"><script src="/app.js"></script>', `<HEAD data-x="1">${PREVIEW_CONSOLE_TAG}<script src="/app.js"></script>`],
  ['<html><body>no head</body></html>', `<html>${PREVIEW_CONSOLE_TAG}<body>no head</body></html>`],
  ['<!doctype html><title>Hello</title><h1>Hi</h1>', `<!doctype html>${PREVIEW_CONSOLE_TAG}<title>Hello</title><h1>Hi</h1>`],
  ['<h1>fragment</h1>', `${PREVIEW_CONSOLE_TAG}<h1>fragment</h1>`],
  // <header> is not <head>
  ['<header>x</header>', `${PREVIEW_CONSOLE_TAG}<header>x</header>`],
])('injects the console script into %j', (html, expected) => {
  expect(injectPreviewConsole(html)).toBe(expected)
  expect(injectPreviewConsole(expected)).toBe(expected)
})

it('the tag loads the reserved same-origin path, synchronously', () => {
  expect(PREVIEW_CONSOLE_TAG).toBe(`<script src="${PREVIEW_CONSOLE_PATH}"></script>`)
})

/// Runs the script in a bare context that looks enough like a framed page.
function framedPage(parentOrigin: string | undefined, framed = true) {
  const posted: Array<{ data: unknown; target: string }> = []
  const listeners: Record<string, Array<(e: unknown) => void>> = {}
  const logged: unknown[][] = []
  class ErrorEvent {
    constructor(
      readonly message: string,
      readonly error: unknown,
    ) {}
  }
  const parent = { postMessage: (data: unknown, target: string) => posted.push({ data, target }) }
  const window: Record<string, unknown> = {
    addEventListener: (type: string, l: (e: unknown) => void) => (listeners[type] ??= []).push(l),
  }
  window.parent = framed ? parent : window
  const console = { error: (...args: unknown[]) => logged.push(args) }
  runInNewContext(previewConsoleScript(parentOrigin), { window, console, ErrorEvent, JSON, String, Array, Error })
  const fire = (type: string, event: unknown) => listeners[type]?.forEach((l) => l(event))
  return { posted, logged, fire, console, ErrorEvent }
}

it('posts console errors, uncaught exceptions and unhandled rejections to the IDE origin, as the port shapes them', () => {
  const page = framedPage('http://localhost:5173')
  page.console.error('failed:', { code: 42 }, 7)
  const boom = new Error('boom')
  page.fire('error', new page.ErrorEvent('Uncaught Error: boom', boom))
  page.fire('error', { type: 'error' }) // a resource that failed to load: not an ErrorEvent
  page.fire('unhandledrejection', { reason: new TypeError('nope') })
  page.fire('unhandledrejection', { reason: 'just a string' })
  expect(page.logged).toEqual([['failed:', { code: 42 }, 7]])
  expect(page.posted.every((p) => p.target === 'http://localhost:5173')).toBe(true)
  const data = page.posted.map((p) => PreviewConsoleMessageSchema.parse(p.data))
  expect(data.map(({ kind, message }) => ({ kind, message }))).toEqual([
    { kind: 'console', message: 'failed: {"code":42} 7' },
    { kind: 'uncaught-exception', message: 'Error: boom' },
    { kind: 'unhandled-rejection', message: 'TypeError: nope' },
    { kind: 'unhandled-rejection', message: 'just a string' },
  ])
  expect(data[1]!.stack).toContain('boom')
})

it('cuts long messages to what the IDE accepts, and stays quiet when not framed', () => {
  const page = framedPage(undefined)
  page.console.error('x'.repeat(50_000))
  expect(page.posted[0]!.target).toBe('*')
  expect(PreviewConsoleMessageSchema.safeParse(page.posted[0]!.data).success).toBe(true)
  const alone = framedPage('http://localhost:5173', false)
  alone.console.error('nobody listens')
  expect(alone.posted).toEqual([])
})
