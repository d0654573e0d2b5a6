import { resolveScheme } from '../../core/appearance/appearance.ts'
import type { Appearance, ColorScheme } from '../../core/appearance/appearance.ts'
import { DisposableStore, Store } from '../../core/store.ts'

const DARK_QUERY = '(prefers-color-scheme: dark)'

/// The browser colour of the top of the page in each scheme (app.css `--bg-chrome`), for `<meta name="theme-color">`.
const THEME_COLOR: Record<ColorScheme, string> = { light: '#f8f8f8', dark: '#181818' }

/// Shows the chosen appearance on the page: `data-theme` and `color-scheme` on <html> (app.css keys its colours on
/// them), the browser's theme colour, and `scheme`, the resolved scheme that Monaco and xterm follow. "System"
/// follows the system's preference live. public/appearance.js does the first application before the first paint.
export class DocumentAppearance {
  readonly scheme: Store<ColorScheme>
  private readonly disposables = new DisposableStore()

  constructor(
    appearance: Store<Appearance>,
    private readonly scope: Pick<Window, 'matchMedia' | 'document'>,
  ) {
    const query = typeof scope.matchMedia === 'function' ? scope.matchMedia(DARK_QUERY) : undefined
    const current = () => resolveScheme(appearance.get().theme, query?.matches ?? false)
    this.scheme = new Store(current())
    const apply = () => {
      const scheme = current()
      // The page first, so anything that reads CSS variables when `scheme` changes (xterm's theme) reads the new ones.
      this.applyToDocument(scheme)
      this.scheme.update(() => scheme)
    }
    apply()
    this.disposables.add(appearance.subscribe(apply))
    if (query) {
      query.addEventListener('change', apply)
      this.disposables.add(() => query.removeEventListener('change', apply))
    }
  }

  private applyToDocument(scheme: ColorScheme): void {
    const { document } = this.scope
    const root = document.documentElement
    if (root.getAttribute('data-theme') !== scheme) root.setAttribute('data-theme', scheme)
    root.style.colorScheme = scheme
    // index.html has one theme-color per system scheme; an explicit theme sets both to its own colour.
    for (const meta of document.querySelectorAll<HTMLMetaElement>('meta[name="theme-color"]')) meta.content = THEME_COLOR[scheme]
  }

  dispose(): void {
    this.disposables.dispose()
  }
}
