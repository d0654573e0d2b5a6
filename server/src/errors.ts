import { ERROR_STATUS } from '@slipway/shared'
import type { ErrorCode } from '@slipway/shared'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/// The one error type route code throws. `onError` turns it into `{error:{code,message,details?}}` with the
/// status fixed for its code in `@slipway/shared` (`ERROR_STATUS`).
export class AppError extends HTTPException {
  readonly code: ErrorCode
  readonly details: unknown
  readonly headers: Record<string, string> | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: unknown; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(ERROR_STATUS[code] as ContentfulStatusCode, { message, cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options.details
    this.headers = options.headers
  }
}
