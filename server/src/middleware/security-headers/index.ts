import type { Coep } from '@slipway/shared'
import type { ServerResponse } from 'node:http'
import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

export interface SecurityHeadersOptions {
  coep: Coep
  /// HSTS is only meaningful (and only sent) when the app is served over https.
  https: boolean
  /// Origins of local-runtime previews the IDE may frame and talk to.
  runtimeOrigins: readonly string[]
}

/// WebContainer's runtime frame and its preview origins.
export const WEBCONTAINER_FRAME_SOURCES = ['https://stackblitz.com', 'https://*.stackblitz.com', 'https://*.webcontainer-api.io']

const ONE_YEAR = 365 * 24 * 60 * 60

/// The Content-Security-Policy as a directive map. Monaco runs under it without `unsafe-eval`; it needs inline
/// styles only.
export function contentSecurityPolicy(runtimeOrigins: readonly string[]) {
  const frames = [...WEBCONTAINER_FRAME_SOURCES, ...runtimeOrigins]
  const runtimeSockets = runtimeOrigins.map((o) => o.replace(/^http/, 'ws'))
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", ...runtimeOrigins, ...runtimeSockets],
    workerSrc: ["'self'", 'blob:'],
    frameSrc: frames,
    childSrc: ["'self'", 'blob:', ...frames],
    manifestSrc: ["'self'"],
    formAction: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  }
}

/// The CSP of API responses (JSON, sync bytes, raw project files): nothing they contain may load, run or be framed
/// if a browser ever renders one as a document. The document CSP above is for the SPA.
/// `sandbox`: a project file served raw (an HTML page, a PDF) can never run script or plugins on the app's origin, even if
/// a browser ignored its type and disposition.
export const API_CONTENT_SECURITY_POLICY = { defaultSrc: ["'none'"], frameAncestors: ["'none'"], sandbox: [] as string[] }

/// Whether a path is the API's (and gets the API CSP).
const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/')

/// Sets COOP/COEP (so the page is cross-origin isolated, which WebContainer needs), the CSP, HSTS over https,
/// nosniff and the referrer policy on every response. API responses get the same headers with a CSP of their own,
/// `default-src 'none'; frame-ancestors 'none'`: stricter for them, and ~1 KB shorter on every API call than the
/// SPA's.
///
/// The headers are Hono's `secureHeaders` output, worked out once. On Node they go straight onto the outgoing
/// response (`setHeader`, merged by Node when the response is written): setting fifteen headers per response on a
/// web `Headers` object, and reading them back out, was ~10% of a `GET /api/projects/:id`. Elsewhere (tests through
/// `app.request`) the middleware is `secureHeaders` itself. No route sets any of these headers.
export async function securityHeaders(options: SecurityHeadersOptions): Promise<MiddlewareHandler> {
  const probe = async (mw: MiddlewareHandler) => [...(await new Hono().use(mw).get('/', (c) => c.body(null, 204)).request('/')).headers]
  // Share links (`/s/…` pages and `/api/s/…`) send no referrer at all: a shared project's links must not carry the
  // link id to other sites.
  const variants = await Promise.all(
    ([false, true] as const).flatMap((share) =>
      ([false, true] as const).map(async (api) => {
        const referrer = share ? 'no-referrer' : 'strict-origin-when-cross-origin'
        const mw = api
          ? honoSecureHeaders(options, API_CONTENT_SECURITY_POLICY, API_WITHOUT, referrer)
          : honoSecureHeaders(options, contentSecurityPolicy(options.runtimeOrigins), {}, referrer)
        return { mw, headers: await probe(mw) }
      }),
    ),
  )
  return function securityHeaders(c, next) {
    const api = isApiPath(c.req.path)
    const share = c.req.path.startsWith(api ? '/api/s/' : '/s/')
    const variant = variants[(share ? 2 : 0) + (api ? 1 : 0)]!
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
    if (!outgoing || outgoing.headersSent) return variant.mw(c, next)
    for (const [name, value] of variant.headers) outgoing.setHeader(name, value)
    return next()
  }
}

/// Headers of Hono's default set that only ever act on a document a browser renders (Origin-Agent-Cluster,
/// X-DNS-Prefetch-Control) or on legacy browsers' handling of one (X-XSS-Protection: 0 turns off an XSS auditor no
/// current browser has; X-Download-Options is IE8's). API responses are JSON, sync bytes or raw project files under
/// nosniff and a CSP that loads nothing: the SPA's documents keep them, the API leaves them out.
const API_WITHOUT = { originAgentCluster: false, xDnsPrefetchControl: false, xDownloadOptions: false, xXssProtection: false } as const

function honoSecureHeaders(
  options: SecurityHeadersOptions,
  csp: ContentSecurityPolicy,
  without: Partial<typeof API_WITHOUT> = {},
  referrerPolicy = 'strict-origin-when-cross-origin',
): MiddlewareHandler {
  return secureHeaders({
    ...without,
    contentSecurityPolicy: csp,
    crossOriginEmbedderPolicy: options.coep,
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    strictTransportSecurity: options.https ? `max-age=${ONE_YEAR}; includeSubDomains` : false,
    referrerPolicy,
    xContentTypeOptions: 'nosniff',
    xFrameOptions: 'DENY',
    removePoweredBy: true,
  })
}

type ContentSecurityPolicy = NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy']
