import { PreviewMessageType } from '@webcontainer/api'
import { afterEach, describe, expect, test } from 'vitest'
import type { PreviewMessage, Runtime } from '../../core/runtime/index.ts'
import { FakeWebContainer, type FakeBootControl, type FakeWebContainerClass } from '../../test/FakeWebContainer.ts'
import { runtimeContract } from '../../test/runtime.contract.ts'
import type { WebContainerPlatform } from './platform.ts'
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
  test('boots with the page COEP and forwarded preview errors', async () => {
    const { WebContainer, booter } = setup({}, { workdirName: 'demo' })
    const runtime = await bootOk(booter)
    expect(WebContainer.boots).toEqual([{ coep: 'credentialless', forwardPreviewErrors: true, workdirName: 'demo' }])
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
  test('maps preview messages to the port shape', async () => {
    const { WebContainer, booter } = setup()
    const runtime = await bootOk(booter)
    const instance = WebContainer.instance
    if (!instance) throw new Error('not booted')
    const seen: PreviewMessage[] = []
    const subscription = runtime.on('preview-message', (message) => seen.push(message))
    const base = { previewId: 'p1', port: 5173, pathname: '/', search: '', hash: '' }
    instance.emitPreviewMessage({ ...base, type: PreviewMessageType.UncaughtException, message: 'boom', stack: 'at x' })
    instance.emitPreviewMessage({
      ...base,
      type: PreviewMessageType.UnhandledRejection,
      message: 'nope',
      stack: undefined,
    })
    instance.emitPreviewMessage({
      ...base,
      type: PreviewMessageType.ConsoleError,
      args: ['bad', { a: 1 }, 2],
      stack: 's',
    })
    subscription.dispose()
    instance.emitPreviewMessage({
      ...base,
      type: PreviewMessageType.UncaughtException,
      message: 'late',
      stack: undefined,
    })
    expect(seen).toEqual([
      { level: 'error', kind: 'uncaught-exception', message: 'boom', stack: 'at x', port: 5173 },
      { level: 'error', kind: 'unhandled-rejection', message: 'nope', port: 5173 },
      { level: 'error', kind: 'console', message: 'bad {"a":1} 2', stack: 's', port: 5173 },
    ])
    await runtime.teardown()
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
