import type { BootFailure } from '../../core/runtime/index.ts'
import type { WebContainerPlatform } from './platform.ts'

const LOCAL = 'or switch this project to the local runtime'

/// Why WebContainer cannot even be tried on this page, or `null` when booting may work.
export function refuseBoot(platform: WebContainerPlatform): BootFailure | null {
  if (!platform.crossOriginIsolated) {
    return {
      reason: 'not-isolated',
      message:
        'This page is not cross-origin isolated, so WebContainer cannot run in it. Reload the page; if that does not ' +
        'help, the server is not sending the Cross-Origin-Opener/Embedder-Policy headers or an extension strips them. ' +
        `You can ${LOCAL}.`,
    }
  }
  if (!platform.sharedArrayBuffer) {
    return {
      reason: 'unsupported-browser',
      message: `This browser has no SharedArrayBuffer, which WebContainer needs. Open Slipway in Chrome or Edge, ${LOCAL}.`,
    }
  }
  if (!platform.onLine) return offline()
  return null
}

/// Thrown (and mapped to `'network'`) when `WebContainer.boot` did not settle in time.
export class BootTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`WebContainer did not start within ${spokenDuration(timeoutMs)}`)
    this.name = 'BootTimeoutError'
  }
}

/// A wait as a person says it: "45 seconds", "1 minute", "2 minutes 30 seconds".
export function spokenDuration(ms: number): string {
  const total = Math.max(1, Math.round(ms / 1000))
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  if (total < 60) return unit(total, 'second')
  const minutes = Math.floor(total / 60)
  const seconds = total % 60
  return seconds ? `${unit(minutes, 'minute')} ${unit(seconds, 'second')}` : unit(minutes, 'minute')
}

/// Maps an error `WebContainer.boot` threw (or a `BootTimeoutError`) to what the person can do about it.
export function bootFailureFromError(error: unknown, platform: WebContainerPlatform): BootFailure {
  const detail = error instanceof Error ? error.message : String(error)
  if (error instanceof BootTimeoutError) {
    return {
      reason: 'network',
      message:
        `${detail}. Its runtime loads from StackBlitz (stackblitz.com), which this browser could not reach: check the ` +
        `connection, a firewall or a content blocker, then retry, ${LOCAL}.`,
    }
  }
  if (isNetworkError(error)) {
    return {
      reason: 'network',
      message: `WebContainer could not download its runtime from StackBlitz (${detail}). Check the connection and retry, ${LOCAL}.`,
    }
  }
  if (!platform.chromium) {
    return {
      reason: 'unsupported-browser',
      message:
        `WebContainer failed to start (${detail}). It is fully supported only in Chromium-based browsers; elsewhere ` +
        `it is in beta. Open Slipway in Chrome or Edge, ${LOCAL}.`,
    }
  }
  return { reason: 'unknown', message: `WebContainer failed to start (${detail}). Reload the page to retry, ${LOCAL}.` }
}

function offline(): BootFailure {
  return {
    reason: 'network',
    message: `You are offline, and WebContainer loads its runtime from StackBlitz. Reconnect and retry, ${LOCAL}.`,
  }
}

// Chromium says "Failed to fetch", Firefox "NetworkError when attempting to fetch resource.", Safari "Load failed".
function isNetworkError(error: unknown): boolean {
  return error instanceof Error && /failed to fetch|networkerror|load failed|network error/i.test(error.message)
}
