// The "first view" of a project (issue 20): a paint list of the workbench as it last looked, kept per project and
// drawn as plain DOM by public/first-view.js before the app's modules evaluate. The same rules live in that script
// (it cannot import this file); firstView.test.ts runs the script against this schema.
import { z } from 'zod'

/// At most this many painted elements (regions, texts, lines and their spans) per project.
export const MAX_ELEMENTS = 600
/// At most this many bytes of JSON per project.
export const MAX_BYTES = 64 * 1024
/// Longer lines (of code, of a tree row) are cut here.
export const MAX_LINE_CHARS = 400
/// The light view shows only when the window is this close to the captured size (px).
export const VIEWPORT_SLACK = 4

// Only values a style property can take safely: colours as the browser computes them, a font family list, numbers.
const Colour = z.string().max(64).regex(/^(?:rgba?\([\d.,\s%/]+\)|#[0-9a-fA-F]{3,8}|transparent)$/)
const FontFamily = z.string().max(200).regex(/^[\w\s,"'.-]+$/)
const Px = z.number().finite().min(-100_000).max(100_000)
const Size = z.number().finite().min(0).max(100_000)
const Text = z.string().max(MAX_LINE_CHARS)

export const FontSchema = z.object({
  family: FontFamily,
  size: z.number().finite().min(1).max(200),
  weight: z.number().int().min(100).max(1000).optional(),
  lineHeight: z.number().finite().min(1).max(400),
})
export type Font = z.infer<typeof FontSchema>

/// A region of the layout: its rect and background.
export const BoxSchema = z.object({ x: Px, y: Px, w: Size, h: Size, bg: Colour })
/// A line of text at a place (a tree row, a tab, a line number, the project name).
export const TextItemSchema = z.object({ x: Px, y: Px, w: Size, h: Size, t: Text, c: Colour, f: FontSchema, bg: Colour.optional(), pl: Size.optional() })
/// A line of code: its top and left and its text as spans with their colours.
export const LineSchema = z.object({ n: z.number().int().min(1), x: Px, y: Px, s: z.array(z.tuple([Text, Colour])).max(MAX_ELEMENTS) })
export const CaretSchema = z.object({ x: Px, y: Px, h: Size, c: Colour, line: z.number().int().min(1), column: z.number().int().min(1) })

export const FirstViewSchema = z.object({
  v: z.literal(1),
  vw: Size,
  vh: Size,
  theme: z.enum(['light', 'dark']),
  bg: Colour,
  boxes: z.array(BoxSchema).max(MAX_ELEMENTS),
  texts: z.array(TextItemSchema).max(MAX_ELEMENTS),
  editor: z
    .object({
      path: z.string().min(1).max(4096),
      /// The code's visible area (lines are clipped to it).
      clip: z.object({ x: Px, y: Px, w: Size, h: Size }),
      font: FontSchema,
      lines: z.array(LineSchema).max(MAX_ELEMENTS),
      caret: CaretSchema.optional(),
      tabSize: z.number().int().min(1).max(16),
      /// Monaco's `saveViewState()` of the active file (cursor, scroll), restored when Monaco first mounts.
      viewState: z.unknown(),
    })
    .optional(),
})
export type FirstView = z.infer<typeof FirstViewSchema>
export type FirstViewEditor = NonNullable<FirstView['editor']>

/// The number of painted elements in a view (what MAX_ELEMENTS bounds).
export function elementCount(view: FirstView): number {
  const lines = view.editor?.lines ?? []
  return view.boxes.length + view.texts.length + lines.length + lines.reduce((n, l) => n + l.s.length, 0) + (view.editor?.caret ? 1 : 0)
}

/// A view cut to the bounds: lines and texts cut at MAX_LINE_CHARS, then elements dropped from the end of each list
/// (boxes first kept, then code lines, then texts) until both MAX_ELEMENTS and MAX_BYTES hold. Answers undefined
/// when even the regions alone do not fit.
export function boundFirstView(view: FirstView): FirstView | undefined {
  const cut = (t: string) => (t.length > MAX_LINE_CHARS ? t.slice(0, MAX_LINE_CHARS) : t)
  const lines = (view.editor?.lines ?? []).map((l) => {
    let left = MAX_LINE_CHARS
    const s: [string, string][] = []
    for (const [t, c] of l.s) {
      if (left <= 0) break
      const part = t.slice(0, left)
      left -= part.length
      s.push([part, c])
    }
    return { ...l, s }
  })
  let next: FirstView = {
    ...view,
    boxes: view.boxes.slice(0, MAX_ELEMENTS),
    texts: view.texts.map((t) => ({ ...t, t: cut(t.t) })),
    ...(view.editor ? { editor: { ...view.editor, lines } } : {}),
  }
  const fits = (v: FirstView) => elementCount(v) <= MAX_ELEMENTS && byteLength(v) <= MAX_BYTES
  while (!fits(next)) {
    if (next.texts.length > 0) next = { ...next, texts: next.texts.slice(0, Math.floor(next.texts.length * 0.8)) }
    else if (next.editor && next.editor.lines.length > 0) next = { ...next, editor: { ...next.editor, lines: next.editor.lines.slice(0, Math.floor(next.editor.lines.length * 0.8)) } }
    else return undefined
  }
  return next
}

/// The size of a view as stored (JSON, UTF-8).
export function byteLength(view: FirstView): number {
  return new TextEncoder().encode(JSON.stringify(view)).length
}

/// A stored record read back: the view when it is valid, undefined for anything else.
export function parseFirstView(raw: unknown): FirstView | undefined {
  const parsed = FirstViewSchema.safeParse(raw)
  return parsed.success ? parsed.data : undefined
}

/// Whether a window of `w`×`h` can show a view captured at `view.vw`×`view.vh` with no layout jump.
export function viewportMatches(view: Pick<FirstView, 'vw' | 'vh'>, w: number, h: number): boolean {
  return Math.abs(view.vw - w) <= VIEWPORT_SLACK && Math.abs(view.vh - h) <= VIEWPORT_SLACK
}

/// The line a Monaco view state is scrolled to (the line at its scroll top: `viewState.firstPosition`), if it says.
export function viewStateFirstLine(state: unknown): number | undefined {
  const view = isObject(state) ? state['viewState'] : undefined
  const first = isObject(view) ? view['firstPosition'] : undefined
  const line = isObject(first) ? first['lineNumber'] : undefined
  return typeof line === 'number' && Number.isInteger(line) && line >= 1 ? line : undefined
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null
}

/// Why a captured editor view is not what the person saw, or undefined when it is. Its lines must be drawn, start at
/// the line its view state is scrolled to (give or take the sliver of a line at the top: one pixel of it shown is the
/// line scrolled to, but too little to be hit-tested and drawn; one rounded in is a line above), in a box of some size, and, when the editor's font size is given, in that size. A capture taken while a dialog covers the editor
/// (Monaco hit-tests the lines, and finds the dialog: no lines), during a font change (the DOM still in the old
/// size), or from a collapsed layout fails this: it is not stored, and one stored anyway is not restored.
export function editorViewMismatch(editor: FirstViewEditor, fontSize?: number): string | undefined {
  if (!(editor.clip.w > 0 && editor.clip.h > 0)) return `the editor is ${editor.clip.w}×${editor.clip.h} px`
  const scrolledTo = viewStateFirstLine(editor.viewState)
  if (scrolledTo === undefined) return 'the view state has no scroll position'
  const [first, second] = editor.lines
  if (!first) return 'no line of code was drawn'
  if (first.n !== scrolledTo && first.n !== scrolledTo + 1 && second?.n !== scrolledTo) return `lines drawn from line ${first.n}, the view state is scrolled to line ${scrolledTo}`
  if (fontSize !== undefined && Math.abs(editor.font.size - fontSize) > 0.5) return `lines drawn at ${editor.font.size} px, the editor is at ${fontSize} px`
  return undefined
}

/// The view state (cursor, scroll) to restore when the editor first shows `view`'s file: only from a view whose lines
/// match it (editorViewMismatch), and only in the shape Monaco's restoreViewState reads.
export function restorableViewState(view: FirstView | undefined): { path: string; state: { viewState: unknown; cursorState: unknown[] } } | undefined {
  const editor = view?.editor
  const state = editor?.viewState
  if (!editor || !isObject(state) || !('viewState' in state) || !Array.isArray(state['cursorState'])) return undefined
  if (editorViewMismatch(editor) !== undefined) return undefined
  return { path: editor.path, state: state as { viewState: unknown; cursorState: unknown[] } }
}

/// What the light view queued while Monaco loaded, in order (public/first-view.js builds it).
export const QueuedInputSchema = z.discriminatedUnion('k', [
  z.object({ k: z.literal('text'), t: z.string().max(1_000_000) }),
  z.object({ k: z.literal('paste'), t: z.string().max(1_000_000) }),
  z.object({ k: z.literal('key'), key: z.enum(['Enter', 'Backspace', 'Delete', 'Tab', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']) }),
])
export type QueuedInput = z.infer<typeof QueuedInputSchema>

/// The queue as text, for the notice shown when no editor can take it (keys become what they would have typed).
export function queuedText(queue: readonly QueuedInput[]): string {
  let out = ''
  for (const q of queue) {
    if (q.k !== 'key') out += q.t
    else if (q.key === 'Enter') out += '\n'
    else if (q.key === 'Tab') out += '\t'
    else if (q.key === 'Backspace') out = out.slice(0, -1)
  }
  return out
}
