import { createHash } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { COEP_META_NAME } from '@slipway/shared'
import type { Coep } from '@slipway/shared'
import type { Context, MiddlewareHandler } from 'hono'
import { getMimeType } from 'hono/utils/mime'

interface Asset {
  file: string
  type: string
  etag: string
  /// Precompressed siblings written by the build (`x.js.br`, `x.js.gz`).
  encodings: { br?: string; gzip?: string }
  cacheControl: string
  /// The bytes of index.html, rewritten with the configured COEP; other files are read when asked for.
  body?: Uint8Array
}

const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'no-cache'

/// Serves the built SPA from `webDir`: hashed files under `/assets/` cached forever, `index.html` revalidated on
/// every load and written with the configured COEP, precompressed variants picked by `Accept-Encoding`, and the
/// SPA shell for client routes. Only files that existed at startup are served, so paths never reach the disk.
export async function spaStatic(options: { webDir: string; coep: Coep }): Promise<MiddlewareHandler> {
  const assets = await indexAssets(options.webDir)
  const shell = assets.get('/index.html')
  if (shell) {
    const rewritten = (await readShell(options)) ?? ''
    shell.body = new TextEncoder().encode(rewritten)
    shell.etag = `"${createHash('sha256').update(rewritten).digest('base64url').slice(0, 27)}"`
    shell.encodings = {}
  }
  const cache = new Map<string, Uint8Array>()
  const load = async (file: string) => {
    let bytes = cache.get(file)
    if (!bytes) {
      bytes = new Uint8Array(await readFile(file))
      cache.set(file, bytes)
    }
    return bytes
  }

  return async function spaStatic(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) return next()
    let asset = assets.get(c.req.path === '/' ? '/index.html' : c.req.path)
    if (!asset && isClientRoute(c.req.path)) asset = shell
    if (!asset) return next()
    return send(c, asset, load)
  }
}

/// The built index.html with the configured COEP written into its meta tag; `undefined` when web/ is not built.
export async function readShell(options: { webDir: string; coep: Coep }): Promise<string | undefined> {
  let html: string
  try {
    html = await readFile(path.join(options.webDir, 'index.html'), 'utf8')
  } catch {
    return undefined
  }
  return html.replace(new RegExp(`(<meta\\s+name="${COEP_META_NAME}"\\s+content=")[^"]*(")`), `$1${options.coep}$2`)
}

/// Client routes get the shell. A missing build file is a 404, not HTML: anything under /assets/ and top-level
/// names with an extension (`/favicon.ico`, `/sw.js`). Deeper paths may end in `.tsx` and still be routes.
function isClientRoute(urlPath: string): boolean {
  if (urlPath.startsWith('/assets/')) return false
  return !(urlPath.lastIndexOf('/') === 0 && path.posix.extname(urlPath) !== '')
}

async function send(c: Context, asset: Asset, load: (file: string) => Promise<Uint8Array>): Promise<Response> {
  c.header('Cache-Control', asset.cacheControl)
  c.header('ETag', asset.etag)
  c.header('Vary', 'Accept-Encoding')
  if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304)
  const accepted = c.req.header('accept-encoding') ?? ''
  let file = asset.file
  if (asset.encodings.br && /\bbr\b/.test(accepted)) {
    file = asset.encodings.br
    c.header('Content-Encoding', 'br')
  } else if (asset.encodings.gzip && /\bgzip\b/.test(accepted)) {
    file = asset.encodings.gzip
    c.header('Content-Encoding', 'gzip')
  }
  const body = asset.body ?? (await load(file))
  c.header('Content-Type', asset.type)
  c.header('Content-Length', String(body.byteLength))
  if (c.req.method === 'HEAD') return c.body(null, 200)
  return c.body(body as Uint8Array<ArrayBuffer>, 200)
}

async function indexAssets(webDir: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>()
  let names: string[]
  try {
    names = (await readdir(webDir, { recursive: true })).map(String)
  } catch {
    return assets // not built (dev mode: Vite serves the SPA)
  }
  const present = new Set(names.map((n) => n.split(path.sep).join('/')))
  for (const rel of present) {
    if (rel.endsWith('.br') || rel.endsWith('.gz')) continue
    const file = path.join(webDir, rel)
    const info = await stat(file)
    if (!info.isFile()) continue
    const urlPath = '/' + rel
    assets.set(urlPath, {
      file,
      type: getMimeType(rel) ?? 'application/octet-stream',
      etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
      encodings: {
        ...(present.has(rel + '.br') ? { br: file + '.br' } : {}),
        ...(present.has(rel + '.gz') ? { gzip: file + '.gz' } : {}),
      },
      cacheControl: urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
    })
  }
  return assets
}
