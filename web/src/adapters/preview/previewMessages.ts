import { PREVIEW_CONSOLE_LIMITS, PreviewConsoleMessageSchema } from '@slipway/shared'
import type { PreviewMessage } from '../../core/runtime/index.ts'

/// Where `message` events arrive: the IDE's window in the browser.
export interface MessageSource {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

export interface PreviewMessagesOptions {
  /// Milliseconds, for the per-origin rate limit; `Date.now` by default.
  readonly now?: () => number
}

/// Messages one origin may deliver per second. Twice what the preview console script sends at most
/// (`perSecond`, plus its one warning about what it dropped), so only a page that posts on its own is cut.
export const MAX_PER_ORIGIN_PER_SECOND = 2 * PREVIEW_CONSOLE_LIMITS.perSecond

/// The preview console, on both runtimes: every preview page runs the shared preview console script
/// (`previewConsoleScript` in shared), which posts its console and uncaught errors to this window. Only messages
/// from the origin of an open preview that match the shared schema count, at most `MAX_PER_ORIGIN_PER_SECOND` a
/// second from one origin; the port comes from the origin.
export class PreviewMessages {
  readonly #origins = new Map<string, number>()
  /// Per origin: the start of its current one-second window and how many messages it delivered in it.
  readonly #windows = new Map<string, { start: number; count: number }>()
  readonly #now: () => number
  readonly #onMessage = (event: MessageEvent) => {
    const port = this.#origins.get(event.origin)
    if (port === undefined || !this.#admit(event.origin)) return
    const message = toPreviewMessage(event.data, port)
    if (message) this.emit(message)
  }

  constructor(
    private readonly source: MessageSource | undefined,
    private readonly emit: (message: PreviewMessage) => void,
    options: PreviewMessagesOptions = {},
  ) {
    this.#now = options.now ?? Date.now
    source?.addEventListener('message', this.#onMessage)
  }

  /// Follows the runtime's `port` events: `url` is the port's preview origin.
  track(port: number, state: 'open' | 'close', url: string): void {
    let origin: string
    try {
      origin = new URL(url).origin
    } catch {
      return
    }
    if (state === 'open') this.#origins.set(origin, port)
    else if (this.#origins.get(origin) === port) {
      this.#origins.delete(origin)
      this.#windows.delete(origin)
    }
  }

  dispose(): void {
    this.source?.removeEventListener('message', this.#onMessage)
    this.#origins.clear()
    this.#windows.clear()
  }

  #admit(origin: string): boolean {
    const now = this.#now()
    const window = this.#windows.get(origin)
    if (!window || now - window.start >= 1000) {
      this.#windows.set(origin, { start: now, count: 1 })
      return true
    }
    window.count++
    return window.count <= MAX_PER_ORIGIN_PER_SECOND
  }
}

/// A preview page's message in the port's terms, or undefined when it is not one.
export function toPreviewMessage(data: unknown, port: number): PreviewMessage | undefined {
  const parsed = PreviewConsoleMessageSchema.safeParse(data)
  if (!parsed.success) return undefined
  const { level, kind, message, stack } = parsed.data
  return stack === undefined ? { level, kind, message, port } : { level, kind, message, stack, port }
}
