import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export type AuthResult = { ok: true } | { ok: false; status: 401 | 403; reason: string }

/// Whether a request to the agent may proceed: an `Origin`, when present, must be one of `origins` (browsers always
/// send it on WebSocket upgrades; CLI clients may leave it out), and the `token` query parameter must equal `token`.
export function authorize(req: IncomingMessage, token: string, origins: ReadonlySet<string>): AuthResult {
  const origin = req.headers.origin
  if (origin !== undefined && !origins.has(origin)) return { ok: false, status: 403, reason: 'origin not allowed' }
  const given = new URL(req.url ?? '/', 'http://agent').searchParams.get('token')
  if (given === null || !tokensEqual(given, token)) return { ok: false, status: 401, reason: 'missing or wrong token' }
  return { ok: true }
}

/// Constant-time comparison: both sides are hashed first, so neither content nor length leaks through timing.
export function tokensEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())
}
