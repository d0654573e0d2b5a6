import type { z } from 'zod'
import type { RuntimeErrorCodeSchema } from '@slipway/shared'

/// Why a request to the local runtime failed: the agent's own codes, or what went wrong on the way.
export type LocalRuntimeErrorCode =
  z.infer<typeof RuntimeErrorCodeSchema> | 'timeout' | 'disconnected' | 'invalid_response'

/// A failed request. The message names the operation, the path, the code and the errno, e.g.
/// `readFile "src/a.ts" failed: fs_error ENOENT: ENOENT: src/a.ts`.
export class LocalRuntimeError extends Error {
  readonly code: LocalRuntimeErrorCode
  readonly errno: string | undefined
  readonly path: string | undefined

  constructor(
    operation: string,
    failure: { code: LocalRuntimeErrorCode; message: string; errno?: string; path?: string },
  ) {
    const { code, errno, path } = failure
    const where = path === undefined ? '' : ` ${JSON.stringify(path)}`
    super(`${operation}${where} failed: ${code}${errno === undefined ? '' : ` ${errno}`}: ${failure.message}`)
    this.name = 'LocalRuntimeError'
    this.code = code
    this.errno = errno
    this.path = path
  }
}
