import { readFileSync } from 'node:fs'
import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, test } from 'vitest'
import { boundFirstView, byteLength, editorViewMismatch, elementCount, FirstViewSchema, MAX_BYTES, MAX_ELEMENTS, MAX_LINE_CHARS, parseFirstView, QueuedInputSchema, queuedText, restorableViewState, viewportMatches, viewStateFirstLine } from './firstView.ts'
import type { FirstView } from './firstView.ts'

const font = { family: 'ui-monospace, "SF Mono", monospace', size: 13, lineHeight: 20 }
function view(lines: number, spansPerLine = 3, texts = 10): FirstView {
  return {
    v: 1,
    vw: 1280,
    vh: 720,
    theme: 'dark',
    bg: 'rgb(24, 24, 24)',
    boxes: [{ x: 0, y: 0, w: 1280, h: 40, bg: 'rgb(31, 31, 31)' }],
    texts: Array.from({ length: texts }, (_, i) => ({ x: 10, y: 50 + i * 22, w: 200, h: 16, t: `file-${i}.ts`, c: 'rgb(204, 204, 204)', f: { ...font, lineHeight: 16 } })),
    editor: {
      path: 'src/index.ts',
      clip: { x: 300, y: 80, w: 900, h: 600 },
      font,
      lines: Array.from({ length: lines }, (_, i) => ({ n: i + 100, x: 300, y: 80 + i * 20, s: Array.from({ length: spansPerLine }, (_, j) => [`tok${j} `, j % 2 ? 'rgb(86, 156, 214)' : '#ce9178'] as [string, string]) })),
      caret: { x: 340, y: 100, h: 20, c: 'rgb(174, 175, 173)', line: 101, column: 5 },
      tabSize: 2,
      viewState: { cursorState: [], viewState: { scrollTop: 1980 } },
    },
  }
}

describe('boundFirstView', () => {
  test('a view within bounds is kept as it is', () => {
    const v = view(30)
    expect(boundFirstView(v)).toEqual(v)
  })
  test('too many elements: texts go first, then code lines from the bottom, until it fits', () => {
    const bounded = boundFirstView(view(200, 3, 300))!
    expect(elementCount(bounded)).toBeLessThanOrEqual(MAX_ELEMENTS)
    expect(bounded.boxes).toHaveLength(1)
    expect(bounded.editor!.lines[0]!.n).toBe(100)
    expect(FirstViewSchema.safeParse(bounded).success).toBe(true)
  })
  test('too many bytes: cut until it fits', () => {
    const long = view(40, 1, 0)
    long.editor!.lines.forEach((l) => (l.s = [['x'.repeat(399), 'rgb(1, 2, 3)']]))
    long.texts = Array.from({ length: 200 }, (_, i) => ({ x: 0, y: i, w: 10, h: 10, t: 'y'.repeat(399), c: 'rgb(0, 0, 0)', f: font }))
    const bounded = boundFirstView(long)!
    expect(byteLength(bounded)).toBeLessThanOrEqual(MAX_BYTES)
    expect(bounded.editor!.lines.length).toBeGreaterThan(0)
  })
  test('lines and texts are cut at MAX_LINE_CHARS', () => {
    const v = view(1, 1, 1)
    v.editor!.lines[0]!.s = [['a'.repeat(300), 'rgb(1, 1, 1)'], ['b'.repeat(300), 'rgb(2, 2, 2)']]
    v.texts[0]!.t = 'c'.repeat(1000)
    const bounded = boundFirstView(v)!
    expect(bounded.editor!.lines[0]!.s.map(([t]) => t.length)).toEqual([300, 100])
    expect(bounded.texts[0]!.t).toHaveLength(MAX_LINE_CHARS)
  })
  test('regions that alone exceed the bounds: nothing is stored', () => {
    const v = view(0, 0, 0)
    v.boxes = Array.from({ length: MAX_ELEMENTS }, () => v.boxes[0]!)
    expect(boundFirstView(v)).toBeUndefined()
  })
})

/// Monaco's saveViewState() scrolled to `line`, as the capture stores it.
const scrolledTo = (line: number) => ({ cursorState: [{ inSelectionMode: false, selectionStart: { lineNumber: line, column: 1 }, position: { lineNumber: line, column: 1 } }], viewState: { scrollLeft: 0, firstPosition: { lineNumber: line, column: 1 }, firstPositionDeltaTop: 0 }, contributionsState: {} })

describe('a view state is restored only from a view that shows it', () => {
  test('lines drawn from the line the view state is scrolled to: restored', () => {
    const v = view(30)
    v.editor!.viewState = scrolledTo(100)
    expect(editorViewMismatch(v.editor!)).toBeUndefined()
    expect(editorViewMismatch(v.editor!, 13)).toBeUndefined()
    expect(restorableViewState(v)).toEqual({ path: 'src/index.ts', state: scrolledTo(100) })
    // The sliver of a line at the top: drawn (rounded in), or too thin to be hit-tested and left out.
    v.editor!.viewState = scrolledTo(101)
    expect(restorableViewState(v)?.path).toBe('src/index.ts')
    v.editor!.viewState = scrolledTo(99)
    expect(restorableViewState(v)?.path).toBe('src/index.ts')
    v.editor!.viewState = scrolledTo(98)
    expect(restorableViewState(v)).toBeUndefined()
  })
  test('captured under a dialog: no lines drawn, so neither the light view nor the scroll is kept', () => {
    // As captured in appearance.spec while Settings covered the editor.
    const v = view(0)
    v.editor!.viewState = scrolledTo(1)
    expect(editorViewMismatch(v.editor!)).toBe('no line of code was drawn')
    expect(restorableViewState(v)).toBeUndefined()
  })
  test('lines that are not the ones the view state is scrolled to: not restored', () => {
    const v = view(30)
    v.editor!.viewState = scrolledTo(240)
    expect(editorViewMismatch(v.editor!)).toBe('lines drawn from line 100, the view state is scrolled to line 240')
    expect(restorableViewState(v)).toBeUndefined()
  })
  test('drawn in another font size than the editor has (a font change not yet painted): not kept', () => {
    const v = view(30)
    v.editor!.viewState = scrolledTo(100)
    expect(editorViewMismatch(v.editor!, 18)).toBe('lines drawn at 13 px, the editor is at 18 px')
  })
  test('a collapsed editor, a view state with no scroll position, or none: not restored', () => {
    const v = view(30)
    v.editor!.viewState = scrolledTo(100)
    v.editor!.clip.h = 0
    expect(editorViewMismatch(v.editor!)).toBe('the editor is 900×0 px')
    expect(restorableViewState(v)).toBeUndefined()
    const w = view(30)
    expect(restorableViewState(w)).toBeUndefined()
    w.editor!.viewState = null
    expect(restorableViewState(w)).toBeUndefined()
    w.editor!.viewState = { viewState: scrolledTo(100).viewState, cursorState: 'x' }
    expect(restorableViewState(w)).toBeUndefined()
    expect(restorableViewState(undefined)).toBeUndefined()
  })
  test('viewStateFirstLine reads only a whole positive line number', () => {
    expect(viewStateFirstLine(scrolledTo(7))).toBe(7)
    for (const bad of [undefined, null, 3, {}, { viewState: null }, { viewState: { firstPosition: { lineNumber: 0 } } }, { viewState: { firstPosition: { lineNumber: 1.5 } } }, { viewState: { firstPosition: { lineNumber: '2' } } }])
      expect(viewStateFirstLine(bad)).toBeUndefined()
  })
})

describe('the schema', () => {
  test.each<[string, unknown]>([
    ['not an object', 'view'],
    ['another version', { ...view(1), v: 2 }],
    ['a colour that is CSS of another kind', { ...view(1), bg: 'url(javascript:alert(1))' }],
    ['a colour that closes the declaration', { ...view(1), bg: 'red; display: none' }],
    ['a font family with a semicolon', { ...view(1), texts: [{ ...view(1).texts[0]!, f: { ...font, family: 'x;}body{display:none' } }] }],
    ['a position that is not a number', { ...view(1), boxes: [{ x: '0', y: 0, w: 1, h: 1, bg: 'rgb(0, 0, 0)' }] }],
    ['NaN', { ...view(1), vw: Number.NaN }],
    ['too many elements', { ...view(1), boxes: Array.from({ length: MAX_ELEMENTS + 1 }, () => view(1).boxes[0]) }],
  ])('refuses %s', (_name, raw) => {
    expect(parseFirstView(raw)).toBeUndefined()
  })
  test('accepts what the capture writes', () => {
    expect(parseFirstView(view(20))).toEqual(view(20))
  })
  test('the viewport matches within a few pixels', () => {
    expect(viewportMatches({ vw: 1280, vh: 720 }, 1283, 717)).toBe(true)
    expect(viewportMatches({ vw: 1280, vh: 720 }, 1000, 720)).toBe(false)
  })
  test('queued keys as text, for the notice', () => {
    const queue = [{ k: 'text', t: 'ab' }, { k: 'key', key: 'Backspace' }, { k: 'key', key: 'Enter' }, { k: 'paste', t: 'xyz' }, { k: 'key', key: 'ArrowLeft' }]
    expect(queuedText(queue.map((q) => QueuedInputSchema.parse(q)))).toBe('a\nxyz')
  })
})

// public/first-view.js draws the stored view before the app loads. It cannot import the schema; run it against a
// fake DOM and a real (in-memory) IndexedDB, and check it draws what the schema accepts and nothing unsafe.
describe('public/first-view.js', () => {
  const script = readFileSync(new URL('../../../public/first-view.js', import.meta.url), 'utf8')

  class FakeElement {
    children: FakeElement[] = []
    attrs: Record<string, string> = {}
    props: Record<string, string> = {}
    parentNode: FakeElement | undefined
    textContent = ''
    className = ''
    id = ''
    style = {
      setProperty: (k: string, v: string) => void (this.props[k] = v),
      getPropertyValue: (k: string) => this.props[k] ?? '',
    }
    constructor(readonly tag: string) {}
    appendChild(c: FakeElement) {
      c.parentNode = this
      this.children.push(c)
      return c
    }
    removeChild(c: FakeElement) {
      this.children = this.children.filter((x) => x !== c)
      c.parentNode = undefined
      return c
    }
    setAttribute(k: string, v: string) {
      this.attrs[k] = v
    }
    getAttribute(k: string) {
      return this.attrs[k] ?? null
    }
    getBoundingClientRect() {
      return { width: this.textContent.length * 7.8 }
    }
    all(): FakeElement[] {
      return [this, ...this.children.flatMap((c) => c.all())]
    }
  }

  async function run(record: unknown, options: { path?: string; width?: number; factory?: IDBFactory; store?: boolean } = {}) {
    const idb = options.factory ?? new IDBFactory()
    if (options.store !== false) {
      await new Promise<void>((resolve, reject) => {
        const req = idb.open('slipway', 3)
        req.onupgradeneeded = () => {
          for (const name of ['projects', 'views', 'sync', 'firstView']) req.result.createObjectStore(name)
        }
        req.onsuccess = () => {
          const tx = req.result.transaction('firstView', 'readwrite')
          if (record !== undefined) tx.objectStore('firstView').put(record, 'abc')
          tx.oncomplete = () => {
            req.result.close()
            resolve()
          }
        }
        req.onerror = () => reject(req.error)
      })
    }
    const body = new FakeElement('body')
    const html = new FakeElement('html')
    html.attrs['data-theme'] = 'dark'
    const listeners: Record<string, (e: unknown) => void> = {}
    const window: Record<string, unknown> = {
      innerWidth: options.width ?? 1280,
      innerHeight: 720,
      indexedDB: idb,
      addEventListener: (type: string, l: (e: unknown) => void) => (listeners[type] = l),
      removeEventListener: (type: string) => delete listeners[type],
    }
    const document = { createElement: (tag: string) => new FakeElement(tag), documentElement: html, body }
    const location = { pathname: options.path ?? '/p/abc' }
    new Function('window', 'document', 'location', 'indexedDB', 'performance', script)(window, document, location, idb, { now: () => 42 })
    const api = window.__slipwayFirstView as { state: string; queue: unknown[]; record: unknown; take(): unknown[]; remove(): void }
    for (let i = 0; i < 100 && api.state === 'reading'; i++) await new Promise((r) => setTimeout(r, 5))
    const root = body.children[0]
    return { api, root, idb, listeners, elements: root?.all() ?? [] }
  }

  const SAFE_COLOUR = /^(?:rgba?\([\d.,\s%/]+\)|#[0-9a-fA-F]{3,8}|transparent)$/
  const safe = (elements: FakeElement[]) =>
    elements.every((el) =>
      Object.entries(el.props).every(([k, v]) =>
        k === 'color' || k === 'background-color' ? SAFE_COLOUR.test(v) : k === 'font-family' ? /^[\w\s,"'.-]+$/.test(v) : !/[;{}()]/.test(v.replace(/^"liga" 0, "calt" 0$/, '')),
      ),
    )

  test('draws a valid view: every line with its colours, the caret, the regions and texts', async () => {
    const v = view(25)
    const { api, elements } = await run(v)
    expect(api.state).toBe('shown')
    const lines = elements.filter((e) => e.className === 'fv-line')
    expect(lines.map((l) => Number(l.attrs['data-line']))).toEqual(v.editor!.lines.map((l) => l.n))
    expect(lines[0]!.children.map((s) => [s.textContent, s.props.color])).toEqual(v.editor!.lines[0]!.s)
    expect(elements.filter((e) => e.attrs['data-testid'] === 'firstview.caret')).toHaveLength(1)
    expect(elements.filter((e) => v.texts.some((t) => t.t === e.textContent))).toHaveLength(v.texts.length)
    expect(elements[0]!.attrs['aria-busy']).toBe('true')
    expect(safe(elements)).toBe(true)
  })

  test.each<[string, unknown]>([
    ['a string', 'not a view'],
    ['another version', { ...view(3), v: 2 }],
    ['a size that is not a number', { ...view(3), vw: 'wide' }],
    ['hostile values', {
      ...view(3),
      bg: 'url(javascript:alert(1))',
      boxes: [{ x: '0', y: 0, w: 10, h: 10, bg: 'red' }, null, 7, { x: 0, y: 0, w: 10, h: 10, bg: 'red; display: none' }],
      texts: [{ x: 0, y: 0, w: 300, h: 20, t: '<img src=x onerror=alert(1)>', c: 'rgb(0, 0, 0)', f: font }, { x: 0, y: 0, w: 1, h: 1, t: 'x', c: 'rgb(0, 0, 0)', f: { ...font, family: 'x;}body{display:none' } }],
    }],
  ])('%s: draws nothing unsafe, and markup stays text', async (_name, record) => {
    const { api, elements } = await run(record)
    expect(['none', 'shown']).toContain(api.state)
    expect(safe(elements)).toBe(true)
    expect(elements.some((e) => e.tag !== 'div' && e.tag !== 'span')).toBe(false)
    if (parseFirstView(record) === undefined && api.state === 'shown') {
      // Drawn only in part: the parts the schema would refuse are left out.
      expect(elements.filter((e) => e.props['background-color']?.includes('red'))).toHaveLength(0)
    }
  })

  test('another window size or no record: nothing drawn', async () => {
    expect((await run(view(3), { width: 1000 })).api.state).toBe('mismatch')
    expect((await run(undefined)).api.state).toBe('none')
    expect((await run(view(3), { path: '/' })).api.state).toBe('none')
  })

  test('a browser with no slipway database gets none made by the script', async () => {
    const idb = new IDBFactory()
    const { api } = await run(view(3), { factory: idb, store: false })
    expect(api.state).toBe('none')
    expect((await idb.databases()).map((d) => d.name)).not.toContain('slipway')
  })

  test('keys typed into it are echoed at the caret and queued in order; take() stops the capture', async () => {
    const { api, elements, listeners } = await run(view(5))
    const key = (k: string, extra: object = {}) => {
      const e = { key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, isComposing: false, preventDefault() {}, stopImmediatePropagation() {}, ...extra }
      listeners.keydown!(e)
    }
    for (const ch of 'ab') key(ch)
    key('Backspace')
    key('Enter')
    listeners.paste!({ clipboardData: { getData: () => 'XY' }, preventDefault() {}, stopImmediatePropagation() {} })
    key('s', { ctrlKey: true })
    expect(api.queue.map((q) => QueuedInputSchema.parse(q))).toEqual([
      { k: 'text', t: 'a' },
      { k: 'text', t: 'b' },
      { k: 'key', key: 'Backspace' },
      { k: 'key', key: 'Enter' },
      { k: 'paste', t: 'XY' },
    ])
    // The caret was on line 101 at column 5 ("tok0| tok1 tok2 "): "tok0ab", Backspace, a new line, then the paste.
    const drawn = elements[0]!
      .all()
      .filter((e) => e.className === 'fv-line')
      .sort((a, b) => parseFloat(a.props.top!) - parseFloat(b.props.top!))
      .map((l) => l.children.map((s) => s.textContent).join(''))
    expect(drawn.slice(0, 4)).toEqual(['tok0 tok1 tok2 ', 'tok0a', 'XY tok1 tok2 ', 'tok0 tok1 tok2 '])
    expect(api.take()).toHaveLength(5)
    expect(listeners.keydown).toBeUndefined()
    api.remove()
    expect(api.state).toBe('done')
  })
})
