import { PREVIEW_CONSOLE_LEVELS, previewConsoleScript } from '@slipway/shared'
import { afterEach, describe, expect, test } from 'vitest'
import type { PreviewMessage, Runtime } from '../../core/runtime/index.ts'
import { FakeWebContainer, type FakeBootControl, type FakeWebContainerClass } from '../../test/FakeWebContainer.ts'
import { runtimeContract } from '../../test/runtime.contract.ts'
import type { MessageSource } from '../preview/previewMessages.ts'
import type { WebContainerPlatform } from './platform.ts'
import type { WebContainerClass } from './types.ts'
import { WebContainerBooter, type WebContainerBooterOptions } from './WebContainerBooter.ts'
import { joinWatchPath } from './WebContainerRuntime.ts'

const CAPABLE: WebContainerPlatform = {
  crossOriginIsolated: true,
  sharedArrayBuffer: true,
  onLine: true,
  chromium: true,
}

const pages: FakeWebContainerClass[] = []
afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.whenTornDown()))
})

function setup(
  control: FakeBootControl = {},
  options: Partial<WebContainerBooterOptions> = {},
): { WebContainer: FakeWebContainerClass; booter: WebContainerBooter } {
  const WebContainer = FakeWebContainer.define(control)
  pages.push(WebContainer)
  const booter = new WebContainerBooter({ WebContainer, coep: 'credentialless', platform: CAPABLE, ...options })
  return { WebContainer, booter }
}

async function bootOk(booter: WebContainerBooter): Promise<Runtime> {
  const result = await booter.boot()
  if (!result.ok) throw new Error(`boot failed: ${result.failure.reason}: ${result.failure.message}`)
  return result.runtime
}

runtimeContract('WebContainerRuntime over FakeWebContainer', async () => {
  const runtime = await bootOk(setup().booter)
  return { runtime, cleanup: () => runtime.teardown() }
})

describe('WebContainerBooter', () => {
  test('boots with the page COEP, and without WebContainer’s own error forwarding (the preview console script does it)', async () => {
    const { WebContainer, booter } = setup({}, { workdirName: 'demo' })
    const runtime = await bootOk(booter)
    expect(WebContainer.boots).toEqual([{ coep: 'credentialless', workdirName: 'demo' }])
    // No preview console asked for
    expect(WebContainer.instance?.previewScripts).toEqual([])
    expect(runtime.kind).toBe('webcontainer')
    expect(runtime.shell()).toEqual({ command: 'jsh', args: [] })
    await runtime.teardown()
  })

  test('concurrent and later boot calls share one boot and one runtime', async () => {
    const { WebContainer, booter } = setup()
    const [first, second] = await Promise.all([booter.boot(), booter.boot()])
    const third = await booter.boot()
    expect(WebContainer.boots).toHaveLength(1)
    expect(first).toBe(second)
    expect(third).toBe(first)
    if (first.ok) await first.runtime.teardown()
  })

  test('after teardown, the next boot boots a new instance', async () => {
    const { WebContainer, booter } = setup()
    const first = await bootOk(booter)
    const firstInstance = WebContainer.instance
    await first.teardown()
    const second = await bootOk(booter)
    expect(second).not.toBe(first)
    expect(WebContainer.boots).toHaveLength(2)
    expect(WebContainer.instance).not.toBe(firstInstance)
    await expect(first.fs.readdir('.')).rejects.toThrow(/torn down/)
    await second.teardown()
  })

  test('a boot right after teardown (not awaited) waits for it instead of failing', async () => {
    const { booter } = setup()
    const first = await bootOk(booter)
    void first.teardown()
    const second = await booter.boot()
    expect(second.ok).toBe(true)
    if (second.ok) await second.runtime.teardown()
  })

  test.each([
    [
      { ...CAPABLE, crossOriginIsolated: false, sharedArrayBuffer: false },
      'not-isolated',
      /cross-origin isolated.*local runtime/s,
    ],
    [{ ...CAPABLE, sharedArrayBuffer: false }, 'unsupported-browser', /SharedArrayBuffer.*Chrome.*local runtime/s],
    [{ ...CAPABLE, onLine: false }, 'network', /offline.*local runtime/s],
  ] as const)('refuses without trying on %j → %s', async (platform, reason, message) => {
    const { WebContainer, booter } = setup({}, { platform })
    const result = await booter.boot()
    expect(result).toMatchObject({ ok: false, failure: { reason } })
    if (!result.ok) expect(result.failure.message).toMatch(message)
    expect(WebContainer.boots).toHaveLength(0)
  })

  test('a boot that never finishes is reported as StackBlitz unreachable; a retry waits for the same boot', async () => {
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const { WebContainer, booter } = setup({ beforeBoot: () => gate }, { timeoutMs: 50 })
    const result = await booter.boot()
    expect(result).toMatchObject({ ok: false, failure: { reason: 'network' } })
    if (!result.ok) expect(result.failure.message).toMatch(/StackBlitz.*local runtime/s)

    const retry = booter.boot()
    release()
    const runtime = await bootOk(booter)
    expect(await retry).toEqual({ ok: true, runtime })
    expect(WebContainer.boots).toHaveLength(1)
    await runtime.teardown()
  })

  test.each([
    [new TypeError('Failed to fetch'), true, 'network'],
    [new Error('Something else broke'), false, 'unsupported-browser'],
    [new Error('Something else broke'), true, 'unknown'],
  ] as const)(
    'a boot rejecting with %s (chromium: %s) → %s, and a retry boots again',
    async (error, chromium, reason) => {
      let fail = true
      const { WebContainer, booter } = setup(
        {
          beforeBoot: () => {
            if (fail) throw error
          },
        },
        { platform: { ...CAPABLE, chromium } },
      )
      const result = await booter.boot()
      expect(result).toMatchObject({ ok: false, failure: { reason } })
      if (!result.ok) expect(result.failure.message).toContain(error.message)
      fail = false
      const runtime = await bootOk(booter)
      expect(WebContainer.boots).toHaveLength(2)
      await runtime.teardown()
    },
  )
})

describe('WebContainerRuntime', () => {
  test('loads the shared preview console script into previews before the runtime is handed out', async () => {
    const script = previewConsoleScript('http://localhost:5173')
    const { WebContainer, booter } = setup({}, { previewConsole: { script, messages: new EventTarget() as unknown as MessageSource } })
    const runtime = await bootOk(booter)
    expect(WebContainer.instance?.previewScripts).toEqual([{ scriptSrc: script, options: undefined }])
    await runtime.teardown()
  })

  test('a preview console that cannot be set up does not stop the boot', async () => {
    const Fake = FakeWebContainer.define()
    pages.push(Fake)
    const WebContainer: WebContainerClass = {
      async boot(options) {
        const container = await Fake.boot(options)
        container.setPreviewScript = () => Promise.reject(new Error('refused'))
        return container
      },
    }
    const booter = new WebContainerBooter({ WebContainer, coep: 'credentialless', platform: CAPABLE, previewConsole: { script: 'x', messages: new EventTarget() as unknown as MessageSource } })
    const runtime = await bootOk(booter)
    expect(runtime.kind).toBe('webcontainer')
    await runtime.teardown()
  })

  test('what preview pages post reaches preview-message listeners, every level, from open preview origins only', async () => {
    const window = new EventTarget()
    const { WebContainer, booter } = setup({}, { previewConsole: { script: 'x', messages: window as unknown as MessageSource } })
    const runtime = await bootOk(booter)
    const instance = WebContainer.instance
    if (!instance) throw new Error('not booted')
    const origin = 'https://abc--5173--def.local-credentialless.webcontainer-api.io'
    const post = (from: string, data: unknown) => window.dispatchEvent(new MessageEvent('message', { origin: from, data }))
    const seen: PreviewMessage[] = []
    const subscription = runtime.on('preview-message', (message) => seen.push(message))
    instance.emitPort(5173, 'open', origin)
    for (const level of PREVIEW_CONSOLE_LEVELS) post(origin, { source: 'slipway-preview', kind: 'console', level, message: `a ${level}` })
    post(origin, { source: 'slipway-preview', kind: 'uncaught-exception', level: 'error', message: 'Error: boom', stack: 'at x' })
    post('https://elsewhere.example', { source: 'slipway-preview', kind: 'console', level: 'log', message: 'not a preview' })
    post(origin, { source: 'slipway-preview', kind: 'console', level: 'verbose', message: 'not a level' })
    instance.emitPort(5173, 'close', origin)
    post(origin, { source: 'slipway-preview', kind: 'console', level: 'log', message: 'closed' })
    instance.emitPort(5173, 'open', origin)
    subscription.dispose()
    post(origin, { source: 'slipway-preview', kind: 'console', level: 'log', message: 'unsubscribed' })
    expect(seen).toEqual([
      ...PREVIEW_CONSOLE_LEVELS.map((level) => ({ level, kind: 'console', message: `a ${level}`, port: 5173 })),
      { level: 'error', kind: 'uncaught-exception', message: 'Error: boom', stack: 'at x', port: 5173 },
    ])
    const late: PreviewMessage[] = []
    runtime.on('preview-message', (message) => late.push(message))
    await runtime.teardown()
    post(origin, { source: 'slipway-preview', kind: 'console', level: 'log', message: 'after teardown' })
    expect(late).toEqual([])
  })

  test('forwards error events until torn down', async () => {
    const { WebContainer, booter } = setup()
    const runtime = await bootOk(booter)
    const instance = WebContainer.instance
    if (!instance) throw new Error('not booted')
    const errors: string[] = []
    runtime.on('error', ({ message }) => errors.push(message))
    instance.emitError({ message: 'internal' })
    await runtime.teardown()
    expect(errors).toEqual(['internal'])
    expect(() => runtime.on('error', () => {})).toThrow(/torn down/)
  })

  test.each([
    ['.', 'sub/x.txt', 'sub/x.txt'],
    ['./', 'a.txt', 'a.txt'],
    ['src', 'a.ts', 'src/a.ts'],
    ['src/', 'lib/b.ts', 'src/lib/b.ts'],
    ['./src', 'c.ts', 'src/c.ts'],
  ])('joinWatchPath(%j, %j) → %j', (base, filename, expected) => {
    expect(joinWatchPath(base, filename)).toBe(expected)
  })
})
