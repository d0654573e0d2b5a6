import { mediaType } from '@slipway/shared'
import type { MiddlewareHandler } from 'hono'
import { AppError } from '../../errors.ts'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export interface RequestGuardOptions {
  /// The only origins allowed to make unsafe requests: the app's own (`ownOrigins`), never one derived from the
  /// request's Host, which a DNS-rebinding page chooses.
  allowedOrigins: readonly string[]
  /// Media types an unsafe request may carry (parameters like `; charset=utf-8` are ignored).
  contentTypes: readonly string[]
}

/// CSRF and media-type guard for unsafe methods: an `Origin` that is not one of `allowedOrigins` (or
/// `Sec-Fetch-Site: cross-site` with no Origin) gets 403; a body without a type, or any type other than the allowed
/// ones (forms and text/plain included, which browsers send cross-origin without a preflight), gets 415. A request
/// with no body (`DELETE`, logout) needs no type; one it sends anyway must still be an allowed one.
export function requestGuard(options: RequestGuardOptions): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins)
  const types = new Set(options.contentTypes.map((t) => t.toLowerCase()))
  return function requestGuard(c, next) {
    if (!UNSAFE.has(c.req.method)) return next()
    const origin = c.req.header('origin')
    if (origin !== undefined) {
      if (!allowed.has(origin)) {
        throw new AppError('forbidden', 'Cross-origin request refused')
      }
    } else if (c.req.header('sec-fetch-site') === 'cross-site') {
      throw new AppError('forbidden', 'Cross-origin request refused')
    }
    const type = mediaType(c.req.header('content-type'))
    if (type === '' ? hasBody(c.req.header('content-length'), c.req.header('transfer-encoding')) : !types.has(type)) {
      throw new AppError('unsupported_media_type', `Content-Type must be one of: ${[...types].join(', ')}`, {
        details: { received: type || null },
      })
    }
    return next()
  }
}

/// Whether a request carries a body: HTTP/1.1 frames one only with Transfer-Encoding or a non-zero Content-Length.
/// (A body that arrives with neither, which only an in-process request can do, still meets the routes' own type
/// checks: `jsonBody` and the sync route read nothing without their type.)
function hasBody(length: string | undefined, transferEncoding: string | undefined): boolean {
  return transferEncoding !== undefined || (length !== undefined && !/^\s*0+\s*$/.test(length))
}
