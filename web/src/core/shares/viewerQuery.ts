/// What the address of a share page asks for, StackBlitz-style: `?view=code|preview|split`, `?file=path:L10-L20`,
/// `?path=/about`. Pure: a query string in, a plan out; anything malformed is ignored, never an error.

export type ViewerView = 'preview' | 'code' | 'split'

export interface FileTarget {
  path: string
  /// 1-based lines, inclusive; absent when only the file is named.
  from?: number
  to?: number
}

export interface ViewerQuery {
  view: ViewerView
  file?: FileTarget
  /// The preview's first path (starts with `/`).
  path?: string
}

const MAX_PARAM = 2048
const MAX_LINE = 10_000_000

export function parseViewerQuery(search: string): ViewerQuery {
  const params = new URLSearchParams(search.length > 4 * MAX_PARAM ? '' : search)
  const out: ViewerQuery = { view: 'preview' }
  const file = parseFileTarget(params.get('file') ?? '')
  if (file) out.file = file
  const view = params.get('view')
  if (view === 'code' || view === 'preview' || view === 'split') out.view = view
  // A file to show with no view asked for means the code.
  else if (file) out.view = 'code'
  const path = params.get('path')
  if (path && path.length <= MAX_PARAM && /^\/(?!\/)[^\s\\]*$/.test(path)) out.path = path
  return out
}

/// `src/App.jsx`, `src/App.jsx:12`, `src/App.jsx:L12`, `src/App.jsx:L10-L20`, `src/App.jsx#L10-L20` (GitHub's).
export function parseFileTarget(text: string): FileTarget | undefined {
  if (!text || text.length > MAX_PARAM) return undefined
  const m = /^(.*?)(?:[:#]L?(\d+)(?:-L?(\d+))?)?$/.exec(text)
  const path = m?.[1]?.replace(/^\/+/, '')
  if (!m || !path) return undefined
  if (m[2] === undefined) return { path }
  const a = Math.min(Number(m[2]), MAX_LINE)
  const b = m[3] === undefined ? a : Math.min(Number(m[3]), MAX_LINE)
  if (a < 1 || b < 1) return { path }
  return { path, from: Math.min(a, b), to: Math.max(a, b) }
}
