import type { ErrorCode } from '@slipway/shared'

/// A failure the client is told about, raised by domain code (which knows nothing of HTTP). `onError` maps it like
/// `AppError`; `status` overrides the code's usual status where the API spec asks for it.
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'DomainError'
  }
}
