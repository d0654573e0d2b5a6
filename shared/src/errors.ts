import { z } from 'zod'

/// Every error code the HTTP API can answer with, and its HTTP status. A code keeps one meaning and one status:
/// code that raises an error names only the code, and the server's HTTP edge alone turns it into a status.
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_body: 400,
  bad_request: 400,
  /// A sync push whose body is not a Yjs update at all (empty, garbage, or bytes Yjs cannot apply).
  malformed_update: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  email_taken: 409,
  update_incomplete: 409,
  /// A publish whose state vector names edits the server's project doc lacks: sync, then publish again.
  publish_stale: 409,
  /// A share link its owner revoked (or whose project was deleted): every route of the link answers it.
  link_revoked: 410,
  payload_too_large: 413,
  /// An account's storage quota (projects, a project's history bytes, all its bytes): `details.quota` names it.
  quota_exceeded: 413,
  unsupported_media_type: 415,
  misdirected_request: 421,
  /// A well-formed Yjs update that breaks the project-doc layout, a path rule or a count limit: `details` names it.
  invalid_update: 422,
  limit_exceeded: 422,
  /// A publish refused because files look like they hold credentials: `details` is `SecretsFoundDetails`.
  secrets_found: 422,
  rate_limited: 429,
  /// The user's daily AI token budget is spent: `Retry-After` says when the day (UTC) rolls over.
  budget_exceeded: 429,
  internal: 500,
  db_unavailable: 503,
  /// The AI assistant is off: the server has no `ANTHROPIC_API_KEY`.
  ai_unavailable: 503,
  /// Claude answered with an error or the stream broke (the message says which, never the key or upstream body).
  ai_upstream_error: 502,
  /// Claude stayed overloaded (529) or rate-limited through the retries made before the first byte.
  ai_overloaded: 503,
} as const satisfies Record<string, number>

export type ErrorCode = keyof typeof ERROR_STATUS
export const ErrorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]])

/// The one wire shape of every error response: `{error:{code,message,details?,requestId?}}`.
export const ErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
})
export type ErrorBody = z.infer<typeof ErrorBodySchema>
