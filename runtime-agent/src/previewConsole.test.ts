import { runInNewContext } from 'node:vm'
import { PREVIEW_CONSOLE_LIMITS, PREVIEW_CONSOLE_PATH, PreviewConsoleMessageSchema } from '@slipway/shared'
import type { PreviewConsoleMessage } from '@slipway/shared'
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

const LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const

/// Runs the script in a bare context that looks enough like a framed page: a parent that records what it is sent,
/// a console that records what reaches it, a clock and timers the test moves.
function framedPage(parentOrigin: string | undefined, framed = true) {
  const posted: Array<{ data: unknown; target: string }> = []
  const listeners: Record<string, Array<(e: unknown) => void>> = {}
  const logged: Array<[string, unknown[]]> = []
  const timers: Array<() => void> = []
  const clock = { now: 1_000_000 }
  class ErrorEvent {
    constructor(
      readonly message: string,
      readonly error: unknown,
    ) {}
  }
  class FakeDate extends Date {
    static override now = () => clock.now
  }
  const parent = { postMessage: (data: unknown, target: string) => posted.push({ data, target }) }
  const window: Record<string, unknown> = {
    addEventListener: (type: string, l: (e: unknown) => void) => (listeners[type] ??= []).push(l),
    setTimeout: (f: () => void) => timers.push(f),
  }
  window.parent = framed ? parent : window
  const console = Object.fromEntries(
    LEVELS.map((level) => [
      level,
      (...args: unknown[]) => {
        logged.push([level, args])
      },
    ]),
  ) as Record<(typeof LEVELS)[number], (...args: unknown[]) => void>
  const originals = { ...console }
  runInNewContext(previewConsoleScript(parentOrigin), { window, console, ErrorEvent, Error, Date: FakeDate })
  const fire = (type: string, event: unknown) => listeners[type]?.forEach((l) => l(event))
  /// What the IDE would accept, in order (every post must match the shared schema).
  const messages = (): PreviewConsoleMessage[] => posted.map((p) => PreviewConsoleMessageSchema.parse(p.data))
  const runTimers = () => timers.splice(0).forEach((f) => f())
  const again = () => runInNewContext(previewConsoleScript(parentOrigin), { window, console, ErrorEvent, Error, Date: FakeDate })
  return { posted, messages, logged, fire, console, originals, again, ErrorEvent, clock, runTimers }
}

it('forwards every console level to the IDE origin, and every call still reaches the page’s console', () => {
  const page = framedPage('http://localhost:5173')
  for (const level of LEVELS) page.console[level](`a ${level}`, 1)
  expect(page.logged).toEqual(LEVELS.map((level) => [level, [`a ${level}`, 1]]))
  expect(page.posted.every((p) => p.target === 'http://localhost:5173')).toBe(true)
  expect(page.messages().map(({ kind, level, message }) => ({ kind, level, message }))).toEqual(
    LEVELS.map((level) => ({ kind: 'console', level, message: `a ${level} 1` })),
  )
  // errors and warnings say where they were logged from; the others carry no stack
  expect(page.messages().map((m) => m.stack !== undefined)).toEqual([false, false, true, true, false])
})

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

it.each<[string, unknown[], string]>([
  ['strings bare, numbers, booleans', ['hello', 42, true, -0.5], 'hello 42 true -0.5'],
  ['null, undefined, bigint, symbol, function', [null, undefined, 10n, Symbol('s'), function named() {}], 'null undefined 10n Symbol(s) ƒ named()'],
  ['objects and arrays as a console shows them', [{ a: 1, b: 'x', 'c-d': [1, 'two', null] }], '{a: 1, b: "x", "c-d": [1, "two", null]}'],
  ['class instances by name', [new Point(1, 2)], 'Point {x: 1, y: 2}'],
  ['deep values stop at depth 3', [{ a: { b: { c: { d: 1 } } }, l: [[[[1]]]] }], '{a: {b: {c: {…}}}, l: [[[…]]]}'],
  ['cycles', [(() => {
    const o: Record<string, unknown> = { n: 1 }
    o.self = o
    return o
  })()], '{n: 1, self: [Circular]}'],
  ['long arrays and wide objects are cut', [Array.from({ length: 103 }, (_, i) => i), Object.fromEntries(Array.from({ length: 52 }, (_, i) => [`k${i}`, i]))],
    `[${Array.from({ length: 100 }, (_, i) => i).join(', ')}, … 3 more] {${Array.from({ length: 50 }, (_, i) => `k${i}: ${i}`).join(', ')}, …}`],
  ['maps, sets, dates, regexps', [new Map([[1, 2]]), new Set([1, 2, 3]), new Date(0), /a+/g], 'Map(1) Set(3) 1970-01-01T00:00:00.000Z /a+/g'],
  ['printf substitutions', ['%s is %d (%i) years, %f%%: %o', 'Ada', 36.7, '-2.5', '1.5', { a: [1] }, 'rest'], 'Ada is 36 (-2) years, 1.5%: {a: [1]} rest'],
  ['%c styles are dropped', ['%cBig %cred', 'font-size: 2em', 'color: red'], 'Big red'],
  ['a lone string keeps its percent signs', ['100%d'], '100%d'],
])('formats %s', (_, args, expected) => {
  const page = framedPage('http://localhost:5173')
  page.console.log(...args)
  expect(page.messages()[0]!.message).toBe(expected)
})

it('an Error logged on its own shows its stack; nested, its name and message', () => {
  const page = framedPage(undefined)
  const error = new TypeError('bad input')
  page.console.error(error)
  page.console.log({ error })
  const [first, second] = page.messages()
  expect(first!.message).toMatch(/^TypeError: bad input\n\s+at /)
  expect(second!.message).toBe('{error: TypeError: bad input}')
})

it('posts uncaught exceptions and unhandled rejections', () => {
  const page = framedPage('http://localhost:5173')
  const boom = new Error('boom')
  page.fire('error', new page.ErrorEvent('Uncaught Error: boom', boom))
  page.fire('error', new page.ErrorEvent('Uncaught just a string', 'just a string'))
  page.fire('error', new page.ErrorEvent('Script error.', null))
  page.fire('error', { type: 'error' }) // a resource that failed to load: not an ErrorEvent
  page.fire('unhandledrejection', { reason: new TypeError('nope') })
  page.fire('unhandledrejection', { reason: { code: 7 } })
  const data = page.messages()
  expect(data.map(({ kind, level, message }) => ({ kind, level, message }))).toEqual([
    { kind: 'uncaught-exception', level: 'error', message: 'Error: boom' },
    { kind: 'uncaught-exception', level: 'error', message: 'just a string' },
    { kind: 'uncaught-exception', level: 'error', message: 'Script error.' },
    { kind: 'unhandled-rejection', level: 'error', message: 'TypeError: nope' },
    { kind: 'unhandled-rejection', level: 'error', message: '{code: 7}' },
  ])
  expect(data[0]!.stack).toContain('boom')
})

it('cuts long messages and stacks to what the IDE accepts, and formats huge values within that budget', () => {
  const page = framedPage(undefined)
  page.console.warn('x'.repeat(50_000))
  const huge = Array.from({ length: 100 }, () => Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key${i}`, 'v'.repeat(1000)])))
  const started = performance.now()
  page.console.log(huge, huge)
  expect(performance.now() - started).toBeLessThan(500)
  const error = new Error('deep')
  error.stack = `Error: deep\n${'    at f (x.js:1:1)\n'.repeat(5_000)}`
  page.fire('error', new page.ErrorEvent('Uncaught Error: deep', error))
  expect(page.posted[0]!.target).toBe('*')
  const [long, big, deep] = page.messages()
  expect(long!.message).toHaveLength(PREVIEW_CONSOLE_LIMITS.message)
  expect(big!.message.length).toBeLessThanOrEqual(PREVIEW_CONSOLE_LIMITS.message)
  expect(big!.message.endsWith('…')).toBe(true)
  expect(deep!.stack).toHaveLength(PREVIEW_CONSOLE_LIMITS.stack)
})

it(`posts at most ${PREVIEW_CONSOLE_LIMITS.perSecond} messages a second, then one warning that counts the rest`, () => {
  const page = framedPage('http://localhost:5173')
  const { perSecond } = PREVIEW_CONSOLE_LIMITS
  for (let i = 0; i < perSecond + 50; i++) page.console.log(`line ${i}`)
  expect(page.posted).toHaveLength(perSecond)
  expect(page.logged).toHaveLength(perSecond + 50) // the browser's console still gets all of them
  // the next second: the count comes first, then the page's next message
  page.clock.now += 1000
  page.console.log('after')
  expect(page.messages().slice(perSecond).map(({ level, message }) => [level, message])).toEqual([
    ['warn', `50 more console messages were not shown: the page logged more than ${perSecond} a second.`],
    ['log', 'after'],
  ])
  // a flood that stops: the timer posts the count
  page.clock.now += 1000
  for (let i = 0; i < perSecond + 1; i++) page.console.info('again')
  page.clock.now += 1000
  page.runTimers()
  expect(page.messages().at(-1)!.message).toBe(`1 more console message was not shown: the page logged more than ${perSecond} a second.`)
})

it('a value that logs while it is formatted is forwarded once', () => {
  const page = framedPage(undefined)
  const sneaky = {
    get x() {
      page.console.log('from a getter')
      return 1
    },
  }
  page.console.log(sneaky)
  expect(page.messages().map((m) => m.message)).toEqual(['{x: 1}'])
  expect(page.logged.map(([, args]) => args[0])).toEqual(['from a getter', sneaky])
})

it('stays out of a page that is not framed, and installs once', () => {
  const alone = framedPage('http://localhost:5173', false)
  expect(alone.console).toEqual(alone.originals)
  alone.console.error('nobody listens')
  expect(alone.posted).toEqual([])

  const page = framedPage(undefined)
  const wrapped = { ...page.console }
  page.again()
  expect(page.console).toEqual(wrapped)
  page.console.log('once')
  expect(page.posted).toHaveLength(1)
})
