import type { MiddlewareHandler } from 'hono'
import { AppError } from '../../errors.ts'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export interface RequestGuardOptions {
  /// Origins allowed to make unsafe requests besides the request's own.
  allowedOrigins: readonly string[]
  /// Media types an unsafe request may carry (parameters like `; charset=utf-8` are ignored).
  contentTypes: readonly string[]
}

/// CSRF and media-type guard for unsafe methods: a cross-origin `Origin` (or `Sec-Fetch-Site: cross-site` with no
/// Origin) gets 403; a body type other than the allowed ones (forms and text/plain included, which browsers send
/// cross-origin without a preflight) gets 415.
export function requestGuard(options: RequestGuardOptions): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins)
  const types = new Set(options.contentTypes.map((t) => t.toLowerCase()))
  return function requestGuard(c, next) {
    if (!UNSAFE.has(c.req.method)) return next()
    const origin = c.req.header('origin')
    if (origin !== undefined) {
      if (origin !== new URL(c.req.url).origin && !allowed.has(origin)) {
        throw new AppError('forbidden', 'Cross-origin request refused')
      }
    } else if (c.req.header('sec-fetch-site') === 'cross-site') {
      throw new AppError('forbidden', 'Cross-origin request refused')
    }
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (!types.has(type)) {
      throw new AppError('unsupported_media_type', `Content-Type must be one of: ${[...types].join(', ')}`, {
        details: { received: type || null },
      })
    }
    return next()
  }
}
