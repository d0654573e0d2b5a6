import { describe, expect, test } from 'vitest'
import { FakeWebContainer } from './FakeWebContainer.ts'

/// The fake keeps the rules of the real `WebContainer` that the booter depends on.
describe('FakeWebContainer', () => {
  test('one instance at a time; teardown once; a boot during teardown waits for it', async () => {
    const WebContainer = FakeWebContainer.define()
    const first = await WebContainer.boot()
    await expect(WebContainer.boot()).rejects.toThrow('Only a single WebContainer instance can be booted')
    first.teardown()
    expect(() => first.teardown()).toThrow('WebContainer already torn down')
    const second = await WebContainer.boot()
    expect(second).not.toBe(first)
    expect(WebContainer.instance).toBe(second)
    second.teardown()
    await WebContainer.whenTornDown()
  })

  test('rejects workdir names that are not one folder name', async () => {
    const WebContainer = FakeWebContainer.define()
    await expect(WebContainer.boot({ workdirName: 'a/b' })).rejects.toThrow('workdirName should be a valid folder name')
  })

  test('spawn takes args or options second, and output: false still lets the process run', async () => {
    const WebContainer = FakeWebContainer.define()
    const container = await WebContainer.boot()
    const quiet = await container.spawn('node', ['-e', "process.stdout.write('x'.repeat(1 << 20))"], { output: false })
    const bare = await container.spawn('true', { cwd: '.' })
    expect(await quiet.exit).toBe(0)
    expect(await bare.exit).toBe(0)
    container.teardown()
    await WebContainer.whenTornDown()
  })
})
