import { LOCAL_RUNTIME_PATH } from '@slipway/shared'
import type { BootFailure } from '../../core/runtime/index.ts'
import type { WebSocketConstructor, WebSocketLike } from './LocalRuntimeConnection.ts'

/// An open socket and its URL without the token (`shown`, for messages), or why there is none.
export type SocketOpening = { ok: true; socket: WebSocketLike; shown: string } | { ok: false; failure: BootFailure }

/// Opens a WebSocket to the agent at `url`, or says why not in words that tell the person what to do.
/// Messages never contain the token.
export async function openSocket(
  url: string,
  WebSocket: WebSocketConstructor | undefined,
  timeoutMs: number,
): Promise<SocketOpening> {
  if (!WebSocket) return failure('unsupported-browser', 'This browser has no WebSocket, which the local runtime needs.')
  const shown = describeUrl(url)
  if (shown === null) {
    return failure('unknown', `"${redact(url)}" is not a local runtime URL: paste the ws://… line the agent printed.`)
  }
  let socket: WebSocketLike
  try {
    socket = new WebSocket(url)
  } catch (error) {
    return failure('unknown', `Cannot connect to ${shown}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const opened = await waitForOpen(socket, timeoutMs)
  return opened === 'open' ? { ok: true, socket, shown } : { ok: false, failure: connectFailure(opened, shown) }
}

type OpenOutcome = 'open' | 'timeout' | { message: string }

function waitForOpen(socket: WebSocketLike, timeoutMs: number): Promise<OpenOutcome> {
  return new Promise((resolve) => {
    let error = ''
    const timer = setTimeout(() => {
      socket.close()
      resolve('timeout')
    }, timeoutMs)
    socket.addEventListener('open', () => {
      clearTimeout(timer)
      resolve('open')
    })
    socket.addEventListener('error', (event) => {
      if (typeof event.message === 'string') error = event.message
    })
    socket.addEventListener('close', ({ code }) => {
      clearTimeout(timer)
      resolve({ message: error || `closed with code ${code}` })
    })
  })
}

function connectFailure(outcome: Exclude<OpenOutcome, 'open'>, shown: string): BootFailure {
  if (outcome === 'timeout') {
    return {
      reason: 'network',
      message: `The local runtime at ${shown} did not answer. Check that it is running, then retry.`,
    }
  }
  // Browsers hide why an upgrade failed; Node's `ws` says "Unexpected server response: 401".
  if (/\b401\b/.test(outcome.message)) {
    return {
      reason: 'unauthorized',
      message: `The local runtime at ${shown} refused the token. It prints a new URL each time it starts: paste the current one.`,
    }
  }
  if (/\b403\b/.test(outcome.message)) {
    return {
      reason: 'unauthorized',
      message: `The local runtime at ${shown} does not allow this page's origin. Restart it with --origin set to this page's origin.`,
    }
  }
  return {
    reason: 'network',
    message:
      `Could not connect to the local runtime at ${shown} (${outcome.message}). Start it ` +
      "(npx @slipway/runtime-agent --origin <this page's origin>) and paste the URL it prints; the token in it changes on every start.",
  }
}

/// The URL without its token, for messages; `null` unless it is a ws(s) URL to the agent's path.
function describeUrl(url: string): string | null {
  try {
    const parsed = new URL(url)
    if ((parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') || parsed.pathname !== LOCAL_RUNTIME_PATH) return null
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
  } catch {
    return null
  }
}

function redact(url: string): string {
  return url.replace(/([?&]token=)[^&]*/g, '$1…')
}

function failure(reason: BootFailure['reason'], message: string): { ok: false; failure: BootFailure } {
  return { ok: false, failure: { reason, message } }
}
