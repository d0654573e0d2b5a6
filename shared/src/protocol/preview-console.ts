import { z } from 'zod'

/// The preview console's wire contract: what a preview page posts to the IDE page that frames it. Both runtimes load
/// the same script into every preview page (`previewConsoleScript`): the local runtime's preview proxy serves it at
/// `PREVIEW_CONSOLE_PATH`, WebContainer injects it with `setPreviewScript`. The IDE checks every message with
/// `PreviewConsoleMessageSchema` and keeps only messages from the origin of an open preview.

export const PREVIEW_CONSOLE_SOURCE = 'slipway-preview'

/// Console levels, most severe first (the order of the console's filters).
export const PREVIEW_CONSOLE_LEVELS = ['error', 'warn', 'info', 'log', 'debug'] as const
export const PreviewConsoleLevelSchema = z.enum(PREVIEW_CONSOLE_LEVELS)
export type PreviewConsoleLevel = z.infer<typeof PreviewConsoleLevelSchema>

export const PREVIEW_CONSOLE_LIMITS = {
  /// Longest message and stack (characters) a preview may send; the script cuts longer ones.
  message: 10_000,
  stack: 20_000,
  /// Messages a page posts per second at most; past that the script drops them and then posts one warning that
  /// says how many it dropped. The IDE takes twice as many from one origin and drops the rest.
  perSecond: 200,
  /// What the IDE keeps of a session's console: the newest messages, at most this many and this many characters
  /// of message and stack together (about 2 MB as UTF-16).
  kept: 1_000,
  keptChars: 1_000_000,
} as const

const Message = z.string().max(PREVIEW_CONSOLE_LIMITS.message)
const Stack = z.string().max(PREVIEW_CONSOLE_LIMITS.stack).optional()
const Source = z.literal(PREVIEW_CONSOLE_SOURCE)

/// One message from a preview page, shaped as the Runtime port's `preview-message` (the IDE adds the port, which it
/// knows from the message's origin). `console`: a call of console.log/info/warn/error/debug, its arguments formatted
/// as a console shows them; the other kinds are errors nobody caught.
export const PreviewConsoleMessageSchema = z.discriminatedUnion('kind', [
  z.strictObject({ source: Source, kind: z.literal('console'), level: PreviewConsoleLevelSchema, message: Message, stack: Stack }),
  z.strictObject({ source: Source, kind: z.literal('uncaught-exception'), level: z.literal('error'), message: Message, stack: Stack }),
  z.strictObject({ source: Source, kind: z.literal('unhandled-rejection'), level: z.literal('error'), message: Message, stack: Stack }),
])
export type PreviewConsoleMessage = z.infer<typeof PreviewConsoleMessageSchema>
