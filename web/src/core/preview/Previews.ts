import type { PreviewMessage, Runtime } from '../runtime/index.ts'
import { DisposableStore, Store } from '../store.ts'
import { appendToConsole } from './consoleBuffer.ts'

export interface PreviewPort {
  port: number
  url: string
  ready: boolean
}

export interface PreviewsState {
  ports: readonly PreviewPort[]
  /// The port shown in the preview pane.
  selected: number | undefined
  /// Path and query typed into the URL bar, relative to the port's URL.
  path: string
  /// Bumped to reload the iframe.
  reloads: number
  /// What previews printed, oldest first; bounded by count and characters (`appendToConsole`).
  console: readonly PreviewMessage[]
}

/// Servers listening in the runtime, which one the preview shows, and what previews printed to their console.
export class Previews {
  readonly store = new Store<PreviewsState>({ ports: [], selected: undefined, path: '/', reloads: 0, console: [] })
  private readonly disposables = new DisposableStore()

  attach(runtime: Runtime): void {
    this.disposables.add(
      runtime.on('port', (port, type, url) =>
        this.store.update((s) => {
          if (type === 'close') {
            const ports = s.ports.filter((p) => p.port !== port)
            return { ...s, ports, selected: s.selected === port ? ports[0]?.port : s.selected }
          }
          if (s.ports.some((p) => p.port === port)) return s
          return { ...s, ports: [...s.ports, { port, url, ready: false }].sort((a, b) => a.port - b.port) }
        }),
      ),
    )
    this.disposables.add(
      runtime.on('server-ready', (port, url) =>
        this.store.update((s) => {
          const known = s.ports.some((p) => p.port === port)
          const ports = known ? s.ports.map((p) => (p.port === port ? { ...p, url, ready: true } : p)) : [...s.ports, { port, url, ready: true }]
          return { ...s, ports, selected: s.selected ?? port, reloads: s.selected === port ? s.reloads + 1 : s.reloads }
        }),
      ),
    )
    this.disposables.add(
      runtime.on('preview-message', (message) =>
        this.store.update((s) => ({ ...s, console: appendToConsole(s.console, message) })),
      ),
    )
  }

  select(port: number): void {
    this.store.update((s) => ({ ...s, selected: port, path: '/' }))
  }

  navigate(path: string): void {
    const clean = path.startsWith('/') ? path : `/${path}`
    this.store.update((s) => ({ ...s, path: clean, reloads: s.reloads + 1 }))
  }

  reload(): void {
    this.store.update((s) => ({ ...s, reloads: s.reloads + 1 }))
  }

  clearConsole(): void {
    this.store.update((s) => ({ ...s, console: [] }))
  }

  /// The URL the iframe loads.
  currentUrl(): string | undefined {
    const s = this.store.get()
    const port = s.ports.find((p) => p.port === s.selected)
    if (!port) return undefined
    return new URL(s.path, port.url).toString()
  }

  dispose(): void {
    this.disposables.dispose()
  }
}
