import type { Coep } from '@slipway/shared'
import type { BootResult } from '../../core/runtime/index.ts'
import type { MessageSource } from '../preview/previewMessages.ts'
import { bootFailureFromError, BootTimeoutError, refuseBoot } from './bootFailure.ts'
import type { WebContainerPlatform } from './platform.ts'
import type { WebContainerClass } from './types.ts'
import { WebContainerRuntime } from './WebContainerRuntime.ts'

export interface WebContainerBooterOptions {
  readonly WebContainer: WebContainerClass
  /// The COEP the server sends (`AppEnv.coep`); WebContainer must boot with the same value.
  readonly coep: Coep
  readonly platform: WebContainerPlatform
  /// Folder name of WebContainer's workdir, the project root. Cosmetic.
  readonly workdirName?: string
  /// How long `WebContainer.boot` may take before `boot()` reports StackBlitz unreachable. The boot goes on:
  /// the next `boot()` waits for that same one.
  readonly timeoutMs?: number
  /// The preview console: `script` (the shared `previewConsoleScript` for the page's origin) is loaded into every
  /// preview page, which posts its console to `messages` (the page's window). Without it previews report nothing.
  readonly previewConsole?: PreviewConsoleSetup
}

export interface PreviewConsoleSetup {
  readonly script: string
  readonly messages: MessageSource
}

export const DEFAULT_BOOT_TIMEOUT_MS = 45_000

/// Owns the page's one WebContainer. `boot()` calls made while a boot is under way or a runtime is alive share
/// that boot and its runtime; after the runtime's `teardown()` resolves, the next `boot()` boots a new one (how
/// switching projects works). Failures are values: nothing here throws.
export class WebContainerBooter {
  readonly #options: WebContainerBooterOptions
  /// The answer every caller shares until a failure or a teardown clears it.
  #result: Promise<BootResult> | null = null
  /// `WebContainer.boot` in flight or done, kept across a time-out so a retry does not start a second one.
  #instance: Promise<WebContainerRuntime> | null = null

  constructor(options: WebContainerBooterOptions) {
    this.#options = options
  }

  boot(): Promise<BootResult> {
    if (this.#result) return this.#result
    const result = this.#attempt()
    this.#result = result
    void result.then((outcome) => {
      if (!outcome.ok && this.#result === result) this.#result = null
    })
    return result
  }

  async #attempt(): Promise<BootResult> {
    const { platform } = this.#options
    const refusal = refuseBoot(platform)
    if (refusal) return { ok: false, failure: refusal }
    const instance = (this.#instance ??= this.#start())
    try {
      return { ok: true, runtime: await this.#withTimeout(instance) }
    } catch (error) {
      return { ok: false, failure: bootFailureFromError(error, platform) }
    }
  }

  #start(): Promise<WebContainerRuntime> {
    const { WebContainer, coep, workdirName, previewConsole } = this.#options
    // No `forwardPreviewErrors`: it forwards console.error and uncaught errors only. The shared preview console
    // script forwards every level, the same way on both runtimes.
    const instance = WebContainer.boot({
      coep,
      ...(workdirName === undefined ? {} : { workdirName }),
    }).then(async (container) => {
      if (previewConsole) {
        // A preview console that could not be set up is no reason to refuse the runtime: its previews then just
        // report nothing.
        await container.setPreviewScript(previewConsole.script).catch(() => {})
      }
      const runtime: WebContainerRuntime = new WebContainerRuntime(container, () => this.#release(instance), {
        ...(previewConsole ? { messages: previewConsole.messages } : {}),
      })
      return runtime
    })
    instance.catch(() => this.#release(instance))
    return instance
  }

  #release(instance: Promise<WebContainerRuntime>): void {
    if (this.#instance !== instance) return
    this.#instance = null
    this.#result = null
  }

  #withTimeout(instance: Promise<WebContainerRuntime>): Promise<WebContainerRuntime> {
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new BootTimeoutError(timeoutMs)), timeoutMs)
      instance.then(
        (runtime) => {
          clearTimeout(timer)
          resolve(runtime)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  }
}
