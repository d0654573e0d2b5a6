import type { ErrorCode } from '@slipway/shared'

/// A failure the client is told about, raised by domain code, which knows nothing of HTTP: it names a code, and the
/// HTTP edge (`onError`) answers that code's status (`ERROR_STATUS` in `@slipway/shared`). `cause` is an internal
/// failure behind it (a library's exception): logged, never sent.
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'DomainError'
  }
}
