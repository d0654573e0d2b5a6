import { ERROR_STATUS, parseSharePath } from '@slipway/shared'
import type { MiddlewareHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { SharePageState } from '../domain/shares.ts'

/// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)
}

export const SHARE_DESCRIPTION = 'A project shared from Slipway: open it to see it running, read its code, or fork it.'

/// The share page's head tags: Open Graph and Twitter cards with the project's name (nothing else of the project),
/// and robots kept out. `title` null: an unknown or revoked link (a generic title).
export function shareMeta(title: string | null, url: string): string {
  const t = escapeHtml(title ?? 'Slipway')
  const d = escapeHtml(title === null ? 'This share link is not available.' : SHARE_DESCRIPTION)
  const u = escapeHtml(url)
  return [
    `<meta name="robots" content="noindex">`,
    `<meta name="referrer" content="no-referrer">`,
    `<meta property="og:type" content="website">`,
    `<meta property="og:site_name" content="Slipway">`,
    `<meta property="og:title" content="${t}">`,
    `<meta property="og:description" content="${d}">`,
    `<meta property="og:url" content="${u}">`,
    `<meta name="twitter:card" content="summary">`,
    `<meta name="twitter:title" content="${t}">`,
    `<meta name="twitter:description" content="${d}">`,
    `<meta name="description" content="${d}">`,
  ].join('')
}

/// The shell with the share page's title and meta tags.
export function renderSharePage(shell: string, title: string | null, url: string): string {
  const titled = shell.replace(/<title>[^<]*<\/title>/i, '')
  const head = `<title>${escapeHtml(title === null ? 'Slipway' : `${title} · Slipway`)}</title>${shareMeta(title, url)}`
  return titled.includes('</head>') ? titled.replace('</head>', `${head}</head>`) : head + titled
}

/// `GET /s/<id>` and `/s/<id>@<n>`: the SPA shell with Open Graph tags, answered 404 / 410 for an unknown or revoked
/// link (still the SPA, so the viewer renders that state). Other paths under /s/ fall through to the SPA as usual.
export function sharePage(deps: {
  shell: string | undefined
  publicUrl: URL
  state: (linkId: string, version: number | null) => Promise<SharePageState>
}): MiddlewareHandler {
  return async function sharePage(c, next) {
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || !c.req.path.startsWith('/s/') || deps.shell === undefined) return next()
    const parsed = parseSharePath(c.req.path)
    const state: SharePageState = parsed ? await deps.state(parsed.linkId, parsed.version) : { ok: false, code: 'not_found' }
    const status: ContentfulStatusCode = state.ok ? 200 : ERROR_STATUS[state.code]
    const url = new URL(c.req.path, deps.publicUrl).toString()
    const html = renderSharePage(deps.shell, state.ok ? state.projectName : null, url)
    c.header('X-Robots-Tag', 'noindex')
    c.header('Cache-Control', 'no-store')
    c.header('Content-Type', 'text/html; charset=utf-8')
    return c.req.method === 'HEAD' ? c.body(null, status) : c.body(html, status)
  }
}
