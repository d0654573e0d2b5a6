import type { z } from 'zod'
import type { RuntimeErrorCodeSchema } from '@slipway/shared'

export type RuntimeErrorCode = z.infer<typeof RuntimeErrorCodeSchema>

/// A failure the agent answers a request with; `errno` carries the file-system code (`ENOENT`) for `fs_error`.
export class RuntimeFailure extends Error {
  readonly code: RuntimeErrorCode
  readonly errno: string | undefined

  constructor(code: RuntimeErrorCode, message: string, errno?: string) {
    super(message)
    this.name = 'RuntimeFailure'
    this.code = code
    this.errno = errno
  }
}

/// The wire error for anything a handler threw: a `RuntimeFailure` as is, a Node system error as `fs_error`
/// (its message names the project-relative path, never the absolute one), anything else as `internal`.
export function toWireError(error: unknown, describe?: string): { code: RuntimeErrorCode; message: string; errno?: string } {
  if (error instanceof RuntimeFailure) {
    return error.errno === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, errno: error.errno }
  }
  const errno = systemErrorCode(error)
  if (errno !== undefined) return { code: 'fs_error', message: describe ? `${errno}: ${describe}` : errno, errno }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) }
}

/// The `code` of a Node system error (`ENOENT`, `EACCES`, …), or undefined for anything else.
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code !== 'string') return undefined
  // fs.rm reports a folder without `recursive` as ERR_FS_EISDIR.
  return /^(?:ERR_FS_)?(E[A-Z0-9]+)$/.exec(code)?.[1]
}
