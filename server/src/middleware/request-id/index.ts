import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { responseHeader } from '../response-header.ts'

declare module 'hono' {
  interface ContextVariableMap {
    /// The request's id: the caller's `X-Request-Id` when it is a sane one, else a new UUID; echoed in the response.
    requestId: string
  }
}

const SANE_ID = /^[\w\-=]{1,255}$/

/// hono/request-id's behaviour (same header, same rule for accepting the caller's id), with the header written
/// through `responseHeader`.
export function requestId(): MiddlewareHandler {
  return function requestId(c, next) {
    const given = c.req.header('x-request-id')
    const id = given !== undefined && SANE_ID.test(given) ? given : randomUUID()
    c.set('requestId', id)
    responseHeader(c, 'X-Request-Id', id)
    return next()
  }
}
