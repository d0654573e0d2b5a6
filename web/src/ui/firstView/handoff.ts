// The app's side of public/first-view.js: the light view it drew, the keys it queued, and taking them over.
import { parseFirstView, queuedText, QueuedInputSchema } from '../../core/firstView/firstView.ts'
import type { FirstView, QueuedInput } from '../../core/firstView/firstView.ts'

/// What public/first-view.js exposes as `window.__slipwayFirstView`.
interface FirstViewScript {
  state: 'none' | 'reading' | 'shown' | 'mismatch' | 'done'
  shownAt: number | undefined
  record: unknown
  take(): unknown[]
  remove(): void
}

declare global {
  interface Window {
    __slipwayFirstView?: FirstViewScript
  }
}

function script(): FirstViewScript | undefined {
  const s = typeof window === 'undefined' ? undefined : window.__slipwayFirstView
  return s && typeof s.take === 'function' && typeof s.remove === 'function' ? s : undefined
}

/// The record the script read at page load (valid, for this page's project), whether or not it was drawn.
export function loadedFirstView(): FirstView | undefined {
  return parseFirstView(script()?.record)
}

/// Whether the light view is on screen (or still being read, and may yet be).
export function firstViewPending(): boolean {
  const state = script()?.state
  return state === 'shown' || state === 'reading'
}

/// Stops the light view's capture and answers what was typed into it, in order (entries of another shape dropped).
export function takeFirstViewInput(): QueuedInput[] {
  const raw = script()?.take() ?? []
  return raw.flatMap((q) => {
    const parsed = QueuedInputSchema.safeParse(q)
    return parsed.success ? [parsed.data] : []
  })
}

/// Removes the light view (call in the frame the real view is painted).
export function removeFirstView(): void {
  script()?.remove()
}

/// Removes the light view when no editor will take it over (the project failed to open, or its file is not text).
/// Anything typed into it is shown in a notice, never silently dropped.
export function dismissFirstView(): void {
  if (!firstViewPending()) {
    removeFirstView()
    return
  }
  const queue = takeFirstViewInput()
  removeFirstView()
  if (queue.length > 0) showUnappliedInput(queuedText(queue))
}

/// A notice with the text typed while the project opened that no editor took.
export function showUnappliedInput(text: string): void {
  const box = document.createElement('div')
  box.className = 'banner banner-error firstview-notice'
  box.setAttribute('role', 'alert')
  box.setAttribute('data-testid', 'firstview.notice')
  for (const [k, v] of Object.entries({ position: 'fixed', left: '8px', right: '8px', bottom: '8px', 'z-index': '1000', 'justify-content': 'flex-start', background: 'var(--bg-surface)', 'box-shadow': '0 2px 8px rgba(0, 0, 0, 0.25)', border: '1px solid var(--border)', 'border-radius': '6px' })) {
    box.style.setProperty(k, v)
  }
  const message = document.createElement('span')
  message.textContent = 'Typed while the project opened, not applied (no editor could take it):'
  const typed = document.createElement('pre')
  typed.className = 'banner-detail'
  typed.setAttribute('data-testid', 'firstview.typed')
  typed.textContent = text
  const copy = document.createElement('button')
  copy.className = 'btn btn-small'
  copy.textContent = 'Copy'
  copy.addEventListener('click', () => void navigator.clipboard?.writeText(text).catch(() => {}))
  const close = document.createElement('button')
  close.className = 'btn btn-small'
  close.textContent = 'Dismiss'
  close.addEventListener('click', () => box.remove())
  typed.style.setProperty('margin', '0')
  const actions = document.createElement('div')
  actions.className = 'banner-actions'
  actions.append(copy, close)
  box.append(message, typed, actions)
  document.body.append(box)
}
