// Captures the workbench's first view (core/firstView) from the live DOM: the regions' rects and backgrounds, the
// tree's and the tab strip's visible rows, and the editor's visible lines with Monaco's own colours.
import { boundFirstView } from '../../core/firstView/firstView.ts'
import type { FirstView, Font } from '../../core/firstView/firstView.ts'
import type { EditorProbe } from './editorProbe.ts'

/// The regions drawn as boxes, back to front.
const EDITOR = 'editor'
const REGIONS = [
  '[data-testid="workbench"]',
  '[data-testid="workbench.header"]',
  '.sidebar',
  '.side-tabs',
  '[data-testid="tree"]',
  '[data-testid="editor.area"]',
  '.editor-tabs',
  '[role="tab"][aria-selected="true"].editor-tab',
  // The editor's background: the node the editor reports (no Monaco class name here: this is the workbench's chunk).
  EDITOR,
  '[data-testid="editor.monaco"] .margin',
  '[data-testid="panel"]',
  '[data-testid="terminal.panel"]',
  '[data-testid="preview.pane"]',
  '[data-testid="status.bar"]',
  '[data-testid="workbench.mobile-tabs"]',
]
/// The texts drawn, each an element whose text is drawn where it is.
const TEXTS = [
  '[data-testid="workbench.name"]',
  '.side-tabs [role="tab"]',
  '[data-testid="tree.item"] .tree-name',
  '[data-testid="editor.tab"] .editor-tab-name',
  '[data-testid="workbench.mobile-tabs"] button',
  '[data-testid="panel"] [role="tab"]',
]

const COLOUR = /^(?:rgba?\([\d.,\s%/]+\)|#[0-9a-fA-F]{3,8}|transparent)$/

export interface CaptureWindow {
  innerWidth: number
  innerHeight: number
  document: Document
  getComputedStyle(el: Element): CSSStyleDeclaration
}

/// The first view of the page as it is now, bounded; undefined when no workbench shows.
export function captureFirstView(win: CaptureWindow, probe: EditorProbe | undefined): FirstView | undefined {
  const doc = win.document
  const workbench = doc.querySelector('[data-testid="workbench"]')
  if (!workbench) return undefined
  const theme = doc.documentElement.getAttribute('data-theme') === 'dark' ? 'dark' : 'light'
  const vw = win.innerWidth
  const vh = win.innerHeight
  const onScreen = (r: DOMRect) => r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < vh && r.left < vw
  const colourOf = (c: string) => (COLOUR.test(c) && c !== 'rgba(0, 0, 0, 0)' ? c : undefined)
  const round = (n: number) => Math.round(n * 100) / 100

  const boxes: FirstView['boxes'] = []
  for (const selector of REGIONS) {
    for (const el of selector === EDITOR ? (probe ? [probe.dom] : []) : workbench.querySelectorAll(selector)) {
      const r = el.getBoundingClientRect()
      const bg = colourOf(win.getComputedStyle(el).backgroundColor)
      if (!onScreen(r) || !bg) continue
      // Cut to the window (Monaco's background layer is a million pixels wide).
      const x = Math.max(0, r.left)
      const y = Math.max(0, r.top)
      boxes.push({ x: round(x), y: round(y), w: round(Math.min(vw, r.right) - x), h: round(Math.min(vh, r.bottom) - y), bg })
    }
  }
  const texts: FirstView['texts'] = []
  for (const selector of TEXTS) {
    for (const el of workbench.querySelectorAll(selector)) {
      const item = textItem(win, el, onScreen, round)
      if (item) texts.push(item)
    }
  }

  const bg = colourOf(win.getComputedStyle(doc.body).backgroundColor) ?? (theme === 'dark' ? 'rgb(24, 24, 24)' : 'rgb(255, 255, 255)')
  const editor = probe?.path ? captureEditor(win, probe, probe.path, onScreen, round, texts) : undefined
  return boundFirstView({ v: 1, vw, vh, theme, bg, boxes, texts, ...(editor ? { editor } : {}) })
}

function fontOf(style: CSSStyleDeclaration): Font | undefined {
  const size = parseFloat(style.fontSize)
  const lh = parseFloat(style.lineHeight)
  const weight = parseInt(style.fontWeight, 10)
  if (!(size > 0)) return undefined
  return {
    family: style.fontFamily,
    size,
    lineHeight: lh > 0 ? lh : Math.round(size * 1.2),
    ...(weight >= 100 && weight <= 1000 ? { weight } : {}),
  }
}

function textItem(win: CaptureWindow, el: Element, onScreen: (r: DOMRect) => boolean, round: (n: number) => number): FirstView['texts'][number] | undefined {
  const text = el.textContent?.trim()
  if (!text) return undefined
  const range = win.document.createRange()
  range.selectNodeContents(el)
  const r = range.getBoundingClientRect()
  if (!onScreen(r)) return undefined
  const style = win.getComputedStyle(el)
  const font = fontOf(style)
  if (!font || !COLOUR.test(style.color) || !/^[\w\s,"'.-]+$/.test(font.family)) return undefined
  // The text's own box, one line high: its line height is its height, so the glyphs sit where they are now.
  return { x: round(r.left), y: round(r.top), w: Math.ceil(r.width) + 1, h: round(r.height), t: text, c: style.color, f: { ...font, lineHeight: round(r.height) } }
}

function captureEditor(
  win: CaptureWindow,
  probe: EditorProbe,
  path: string,
  onScreen: (r: DOMRect) => boolean,
  round: (n: number) => number,
  texts: FirstView['texts'],
): FirstView['editor'] {
  const scrollable = probe.dom.querySelector('.editor-scrollable')
  const viewLines = probe.dom.querySelector('.view-lines')
  if (!scrollable || !viewLines) return undefined
  const clipRect = scrollable.getBoundingClientRect()
  if (!onScreen(clipRect)) return undefined
  const style = win.getComputedStyle(viewLines)
  const font = fontOf(style)
  if (!font) return undefined

  const lines: NonNullable<FirstView['editor']>['lines'] = []
  const rendered = [...viewLines.querySelectorAll(':scope > .view-line')]
    .map((el) => ({ el, r: el.getBoundingClientRect() }))
    .sort((a, b) => a.r.top - b.r.top)
  rendered.forEach(({ el, r }) => {
    if (r.bottom <= clipRect.top || r.top >= clipRect.bottom) return
    const n = probe.lineAt(clipRect.left + 1, r.top + r.height / 2)
    if (n === undefined) return
    const spans: [string, string][] = []
    for (const span of el.querySelectorAll(':scope > span > span')) {
      const t = span.textContent ?? ''
      if (!t) continue
      const c = win.getComputedStyle(span).color
      if (!COLOUR.test(c)) continue
      const last = spans[spans.length - 1]
      if (last && last[1] === c) last[0] += t
      else spans.push([t, c])
    }
    lines.push({ n, x: round(r.left), y: round(r.top), s: spans })
  })

  // The gutter's line numbers, as texts.
  for (const el of probe.dom.querySelectorAll('.margin-view-overlays .line-numbers')) {
    const item = textItem(win, el, (r) => onScreen(r) && r.top >= clipRect.top - 1 && r.bottom <= clipRect.bottom + 1, round)
    if (item) texts.push(item)
  }

  const cursor = probe.dom.querySelector('.cursors-layer .cursor')
  const caretColour = cursor ? win.getComputedStyle(cursor).backgroundColor : ''
  const c = probe.caret
  const caret =
    c && c.y >= clipRect.top && c.y + c.h <= clipRect.bottom
      ? { x: round(c.x), y: round(c.y), h: round(c.h), line: c.line, column: c.column, c: COLOUR.test(caretColour) && caretColour !== 'rgba(0, 0, 0, 0)' ? caretColour : (lines[0]?.s[0]?.[1] ?? 'rgb(128, 128, 128)') }
      : undefined
  return {
    path,
    clip: { x: round(clipRect.left), y: round(clipRect.top), w: round(clipRect.width), h: round(clipRect.height) },
    font,
    lines,
    ...(caret ? { caret } : {}),
    tabSize: Math.min(16, Math.max(1, probe.tabSize)),
    viewState: probe.viewState,
  }
}
