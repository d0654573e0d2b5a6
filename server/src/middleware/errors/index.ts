import type { ErrorBody, ErrorCode } from '@slipway/shared'
import { ERROR_STATUS } from '@slipway/shared'
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { DomainError } from '../../domain/errors.ts'
import { AppError } from '../../errors.ts'
import type { Logger } from '../../logger.ts'

interface ErrorOptions {
  details?: unknown
  headers?: Record<string, string> | undefined
  status?: number | undefined
  requestId?: string
}

/// Maps any thrown value to the one error wire shape. Unknown errors become 500 with the request id; their details
/// go to the server log only.
export function errorHandler(logger: Logger): ErrorHandler {
  return function onError(err, c) {
    const requestId = c.get('requestId') as string | undefined
    if (err instanceof AppError) return errorResponse(c, err.code, err.message, { details: err.details, headers: err.headers, status: err.status })
    if (err instanceof DomainError) {
      const retryAfter = (err.details as { retryAfter?: number } | undefined)?.retryAfter
      // A cause is an internal failure behind a client error (a library's exception): the log keeps it, the answer
      // names only the request.
      if (err.cause !== undefined) logger.info('client error with an internal cause', { requestId, method: c.req.method, path: c.req.path, code: err.code, err: err.cause })
      return errorResponse(c, err.code, err.message, {
        details: err.details,
        status: err.status,
        ...(err.cause !== undefined && requestId ? { requestId } : {}),
        headers: retryAfter ? { 'Retry-After': String(retryAfter) } : undefined,
      })
    }
    if (err instanceof HTTPException) {
      const mapped = mapHttpException(err)
      if (mapped) return errorResponse(c, mapped.code, mapped.message)
    }
    logger.error('unhandled error', { requestId, method: c.req.method, path: c.req.path, err })
    return errorResponse(c, 'internal', 'Internal server error', requestId ? { requestId } : {})
  }
}

/// Hono's own middleware throws `HTTPException`s (body limit, malformed JSON); give each a code.
function mapHttpException(err: HTTPException): { code: ErrorCode; message: string } | undefined {
  switch (err.status) {
    case 400:
      return /malformed json/i.test(err.message)
        ? { code: 'invalid_json', message: 'Request body is not valid JSON' }
        : { code: 'bad_request', message: err.message || 'Bad request' }
    case 401:
      return { code: 'unauthorized', message: 'Sign in required' }
    case 403:
      return { code: 'forbidden', message: 'Forbidden' }
    case 404:
      return { code: 'not_found', message: 'Not found' }
    case 413:
      return { code: 'payload_too_large', message: 'Request body is too large' }
    case 415:
      return { code: 'unsupported_media_type', message: 'Unsupported content type' }
    default:
      return undefined
  }
}

export const notFoundHandler: NotFoundHandler = (c) => errorResponse(c, 'not_found', `No route for ${c.req.method} ${c.req.path}`)

export function errorResponse(c: Context, code: ErrorCode, message: string, options: ErrorOptions = {}): Response {
  const { details, headers, status, requestId } = options
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }), ...(requestId ? { requestId } : {}) } }
  if (headers) for (const [k, v] of Object.entries(headers)) c.header(k, v)
  c.header('Cache-Control', 'no-store')
  return c.json(body, (status ?? ERROR_STATUS[code]) as ContentfulStatusCode)
}
