/// The timer functions a debouncer uses; injected so tests can drive time.
export interface FrameClock {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  requestAnimationFrame(fn: () => void): unknown
  cancelAnimationFrame(handle: unknown): void
}

export interface Debounced {
  /// Asks for a run; calls within `delayMs` of each other collapse into one.
  schedule(): void
  cancel(): void
}

/// Runs `fn` once, in an animation frame, after `schedule` has not been called for `delayMs`. A burst of resize
/// observations (dragging a splitter) costs one fit at the end, not one per event.
export function debounceToFrame(fn: () => void, delayMs: number, clock: FrameClock): Debounced {
  let timer: unknown
  let frame: unknown
  const cancel = () => {
    if (timer !== undefined) clock.clearTimeout(timer)
    if (frame !== undefined) clock.cancelAnimationFrame(frame)
    timer = frame = undefined
  }
  return {
    schedule() {
      cancel()
      timer = clock.setTimeout(() => {
        timer = undefined
        frame = clock.requestAnimationFrame(() => {
          frame = undefined
          fn()
        })
      }, delayMs)
    },
    cancel,
  }
}

/// The page's clock (call only in the browser).
export function browserClock(): FrameClock {
  return {
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (h) => window.clearTimeout(h as number),
    requestAnimationFrame: (fn) => window.requestAnimationFrame(() => fn()),
    cancelAnimationFrame: (h) => window.cancelAnimationFrame(h as number),
  }
}
