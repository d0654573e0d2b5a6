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

/// Sets COOP/COEP (so the page is cross-origin isolated, which WebContainer needs), the CSP, HSTS over https,
/// nosniff and the referrer policy on every response.
///
/// The headers are Hono's `secureHeaders` output, worked out once. On Node they go straight onto the outgoing
/// response (`setHeader`, merged by Node when the response is written): setting fifteen headers per response on a
/// web `Headers` object, and reading them back out, was ~10% of a `GET /api/projects/:id`. Elsewhere (tests through
/// `app.request`) the middleware is `secureHeaders` itself. No route sets any of these headers.
export async function securityHeaders(options: SecurityHeadersOptions): Promise<MiddlewareHandler> {
  const hono = honoSecureHeaders(options)
  const probe = await new Hono().use(hono).get('/', (c) => c.body(null, 204)).request('/')
  const headers = [...probe.headers.entries()]
  return async function securityHeaders(c, next) {
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
    if (!outgoing || outgoing.headersSent) return hono(c, next)
    for (const [name, value] of headers) outgoing.setHeader(name, value)
    await next()
  }
}

function honoSecureHeaders(options: SecurityHeadersOptions): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: contentSecurityPolicy(options.runtimeOrigins),
    crossOriginEmbedderPolicy: options.coep,
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    strictTransportSecurity: options.https ? `max-age=${ONE_YEAR}; includeSubDomains` : false,
    referrerPolicy: 'strict-origin-when-cross-origin',
    xContentTypeOptions: 'nosniff',
    xFrameOptions: 'DENY',
    removePoweredBy: true,
  })
}
