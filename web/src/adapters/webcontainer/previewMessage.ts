import { PreviewMessageType, type PreviewMessage as WebContainerPreviewMessage } from '@webcontainer/api'
import type { PreviewMessage } from '../../core/runtime/index.ts'
import { unreachable } from '../../core/unreachable.ts'

/// A preview message as WebContainer forwards it (`forwardPreviewErrors: true`), in the port's terms.
export function toPreviewMessage(message: WebContainerPreviewMessage): PreviewMessage {
  const base = { level: 'error' as const, port: message.port }
  switch (message.type) {
    case PreviewMessageType.UncaughtException:
      return withStack({ ...base, kind: 'uncaught-exception', message: message.message }, message.stack)
    case PreviewMessageType.UnhandledRejection:
      return withStack({ ...base, kind: 'unhandled-rejection', message: message.message }, message.stack)
    case PreviewMessageType.ConsoleError:
      return withStack({ ...base, kind: 'console', message: message.args.map(formatArg).join(' ') }, message.stack)
    default:
      return unreachable(message)
  }
}

function withStack(message: PreviewMessage, stack: string | undefined): PreviewMessage {
  return stack ? { ...message, stack } : message
}

/// Formats one `console.error` argument the way a console shows it (strings bare, the rest as JSON).
export function formatArg(arg: unknown): string {
  if (typeof arg === 'string') return arg
  if (arg instanceof Error) return arg.stack ?? `${arg.name}: ${arg.message}`
  if (arg === undefined || typeof arg === 'function' || typeof arg === 'symbol' || typeof arg === 'bigint') {
    return String(arg)
  }
  try {
    return JSON.stringify(arg) ?? String(arg)
  } catch {
    return String(arg)
  }
}
