import { PreviewConsoleMessageSchema } from '@slipway/shared'
import type { PreviewMessage } from '../../core/runtime/index.ts'

/// Where `message` events arrive: the IDE's window in the browser.
export interface MessageSource {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

/// The preview console on the local runtime: the agent's preview proxy loads a script into every preview page that
/// posts its console errors and uncaught exceptions to this window (server/src/local-runtime/previewConsole.ts).
/// Only messages from an open preview origin that match the shared schema count; the port comes from the origin.
export class PreviewMessages {
  readonly #origins = new Map<string, number>()
  readonly #onMessage = (event: MessageEvent) => {
    const port = this.#origins.get(event.origin)
    if (port === undefined) return
    const message = toPreviewMessage(event.data, port)
    if (message) this.emit(message)
  }

  constructor(
    private readonly source: MessageSource | undefined,
    private readonly emit: (message: PreviewMessage) => void,
  ) {
    source?.addEventListener('message', this.#onMessage)
  }

  /// Follows the agent's `port` events: `url` is the port's preview origin.
  track(port: number, state: 'open' | 'close', url: string): void {
    let origin: string
    try {
      origin = new URL(url).origin
    } catch {
      return
    }
    if (state === 'open') this.#origins.set(origin, port)
    else if (this.#origins.get(origin) === port) this.#origins.delete(origin)
  }

  dispose(): void {
    this.source?.removeEventListener('message', this.#onMessage)
    this.#origins.clear()
  }
}

/// A preview page's message in the port's terms, or undefined when it is not one.
export function toPreviewMessage(data: unknown, port: number): PreviewMessage | undefined {
  const parsed = PreviewConsoleMessageSchema.safeParse(data)
  if (!parsed.success) return undefined
  const { level, kind, message, stack } = parsed.data
  return stack === undefined ? { level, kind, message, port } : { level, kind, message, stack, port }
}
