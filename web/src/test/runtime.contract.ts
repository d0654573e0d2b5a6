import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { Runtime, WatchEvent } from '../core/runtime/index.ts'
import { canBind, eventually, freePort, httpServerScript, isSettled, nextEvent, recordOutput } from './probes.ts'

export interface RuntimeUnderTest {
  readonly runtime: Runtime
  /// Releases whatever `makeRuntime` set up; must work whether or not the test tore the runtime down.
  cleanup(): Promise<void>
}

const SLOW = 20_000
const TERM = { TERM: 'xterm-256color' }

export interface ContractOptions {
  /// False for runtimes that run no processes (in-memory test doubles): only the file-system part applies.
  readonly processes?: boolean
}

/// What the IDE relies on from every `Runtime`: each adapter runs this suite against a real runtime, so the UI
/// can treat them alike. `makeRuntime` gives a fresh runtime over an empty project for each test.
export function runtimeContract(
  name: string,
  makeRuntime: () => Promise<RuntimeUnderTest>,
  { processes = true }: ContractOptions = {},
): void {
  describe(`Runtime contract: ${name}`, () => {
    let subject: RuntimeUnderTest
    let runtime: Runtime

    beforeEach(async () => {
      subject = await makeRuntime()
      runtime = subject.runtime
    }, SLOW)
    afterEach(async () => {
      await subject.cleanup()
    }, SLOW)

    describe('fs', () => {
      test('reads back text it wrote, as a string and as UTF-8 bytes', async () => {
        await runtime.fs.writeFile('hello.txt', 'héllo, wörld ✓\n')
        expect(await runtime.fs.readFile('hello.txt', 'utf-8')).toBe('héllo, wörld ✓\n')
        expect(await runtime.fs.readFile('hello.txt')).toEqual(new TextEncoder().encode('héllo, wörld ✓\n'))
      })

      test('reads back every byte value it wrote', async () => {
        const bytes = Uint8Array.from({ length: 512 }, (_, index) => (index * 7) % 256)
        await runtime.fs.writeFile('blob.bin', bytes)
        const read = await runtime.fs.readFile('blob.bin')
        expect(read).toBeInstanceOf(Uint8Array)
        expect([...read]).toEqual([...bytes])
      })

      test('mkdir, readdir, rename and rm', async () => {
        await runtime.fs.mkdir('src/lib/deep', { recursive: true })
        await runtime.fs.mkdir('docs')
        await runtime.fs.writeFile('src/lib/a.ts', 'export const a = 1\n')
        expect(sorted(await runtime.fs.readdir('src/lib'))).toEqual([
          { name: 'a.ts', kind: 'file' },
          { name: 'deep', kind: 'directory' },
        ])

        await runtime.fs.rename('src/lib/a.ts', 'src/lib/b.ts')
        await runtime.fs.rename('src/lib', 'src/util')
        expect(await runtime.fs.readFile('src/util/b.ts', 'utf-8')).toBe('export const a = 1\n')
        expect(sorted(await runtime.fs.readdir('src'))).toEqual([{ name: 'util', kind: 'directory' }])

        await runtime.fs.rm('src/util/b.ts')
        await runtime.fs.rm('src', { recursive: true })
        await runtime.fs.rm('missing.txt', { force: true })
        expect(sorted(await runtime.fs.readdir('.'))).toEqual([{ name: 'docs', kind: 'directory' }])
      })

      test('a missing file rejects with ENOENT', async () => {
        await expect(runtime.fs.readFile('missing.txt', 'utf-8')).rejects.toThrow(/ENOENT/)
      })

      test('mount writes a tree of folders, text and bytes', async () => {
        await runtime.mount({
          'package.json': { file: { contents: '{"name":"app"}' } },
          src: { directory: { 'main.js': { file: { contents: 'console.log(1)' } }, empty: { directory: {} } } },
          'logo.bin': { file: { contents: new Uint8Array([0, 255, 128]) } },
        })
        expect(await runtime.fs.readFile('package.json', 'utf-8')).toBe('{"name":"app"}')
        expect(await runtime.fs.readFile('src/main.js', 'utf-8')).toBe('console.log(1)')
        expect([...(await runtime.fs.readFile('logo.bin'))]).toEqual([0, 255, 128])
        expect(sorted(await runtime.fs.readdir('src'))).toEqual([
          { name: 'empty', kind: 'directory' },
          { name: 'main.js', kind: 'file' },
        ])
      })

      test.runIf(processes)(
        'a recursive watch sees a file a process wrote, until disposed',
        async () => {
          await runtime.fs.mkdir('sub')
          const events: WatchEvent[] = []
          const watch = runtime.fs.watch('.', (event) => events.push(event))
          const writer = await runtime.spawn('node', ['-e', "require('fs').writeFileSync('sub/x.txt', 'hi')"])
          expect(await writer.exit).toBe(0)
          await eventually(() => events.some((event) => event.path === 'sub/x.txt'), 'a watch event for sub/x.txt')
          expect(events.every((event) => event.type === 'change' || event.type === 'rename')).toBe(true)

          watch.dispose()
          const seen = events.length
          await runtime.fs.writeFile('sub/y.txt', 'later')
          await new Promise((resolve) => setTimeout(resolve, 300))
          expect(events.length).toBe(seen)
        },
        SLOW,
      )
    })

    describe.runIf(processes)('processes', () => {
      test(
        'output streams while the process runs',
        async () => {
          const script = "console.log('first'); setTimeout(() => console.log('second'), 1000)"
          const process = await runtime.spawn('node', ['-e', script])
          const output = recordOutput(process.output)
          await output.waitFor(/first/)
          expect(await isSettled(process.exit)).toBe(false)
          expect(output.text()).not.toMatch(/second/)
          expect(await process.exit).toBe(0)
          await output.waitFor(/second/)
        },
        SLOW,
      )

      test('exit codes, and stderr in the output', async () => {
        const ok = await runtime.spawn('node', ['-e', ''])
        const failed = await runtime.spawn('node', ['-e', "console.error('oops'); process.exit(3)"])
        const output = recordOutput(failed.output)
        expect(await ok.exit).toBe(0)
        expect(await failed.exit).toBe(3)
        await output.waitFor(/oops/)
      })

      test('cwd and env reach the process, and input reaches its stdin', async () => {
        await runtime.fs.mkdir('pkg')
        const script =
          "process.stdin.once('data', (d) => { console.log(process.cwd().split(/[\\\\/]/).pop(), process.env.GREETING, String(d).trim().toUpperCase()); process.exit(0) })"
        const process = await runtime.spawn('node', ['-e', script], { cwd: 'pkg', env: { GREETING: 'hey' } })
        const output = recordOutput(process.output)
        const writer = process.input.getWriter()
        await writer.write('typed\n')
        writer.releaseLock()
        expect(await process.exit).toBe(0)
        await output.waitFor(/pkg hey TYPED/)
      })

      test(
        'kill stops a server and everything it started, and frees the port',
        async () => {
          const port = await freePort()
          const server = JSON.stringify(httpServerScript(port, 'up'))
          const process = await runtime.spawn('sh', ['-c', `node -e ${server} & wait`])
          const output = recordOutput(process.output)
          await output.waitFor(/listening/)
          expect(await canBind(port)).toBe(false)
          process.kill()
          expect(await process.exit).not.toBe(0)
          await eventually(() => canBind(port), `port ${port} to be free`)
        },
        SLOW,
      )

      test(
        'resize changes the terminal size a program sees',
        async () => {
          const shell = await runtime.spawn('bash', ['--norc', '--noprofile'], {
            terminal: { cols: 80, rows: 24 },
            env: TERM,
          })
          const output = recordOutput(shell.output)
          const input = shell.input.getWriter()
          await input.write('tput cols\n')
          await output.waitFor(/^80\r?$/m)
          const mark = output.text().length
          shell.resize({ cols: 120, rows: 30 })
          await input.write('tput cols\n')
          await output.waitFor(/^120\r?$/m, { from: mark })
          await input.write('exit 0\n')
          expect(await shell.exit).toBe(0)
        },
        SLOW,
      )
    })

    describe.runIf(processes)('servers', () => {
      test(
        'server-ready gives a URL that serves the app, and port reports open and close',
        async () => {
          const port = await freePort()
          const opened = nextEvent(runtime, 'port', (p, type) => p === port && type === 'open')
          const ready = nextEvent(runtime, 'server-ready', (p) => p === port)
          const process = await runtime.spawn('node', ['-e', httpServerScript(port, 'hello from the app')])
          const [, url] = await ready
          await opened
          const response = await fetch(url)
          expect(await response.text()).toBe('hello from the app')

          const closed = nextEvent(runtime, 'port', (p, type) => p === port && type === 'close')
          process.kill()
          await closed
        },
        SLOW,
      )
    })

    describe.runIf(processes)('teardown', () => {
      test(
        'kills every process, frees their ports and leaves the runtime dead',
        async () => {
          const port = await freePort()
          const server = await runtime.spawn('node', ['-e', httpServerScript(port, 'up')])
          const sleeper = await runtime.spawn('node', ['-e', 'setInterval(() => {}, 1000)'])
          await recordOutput(server.output).waitFor(/listening/)
          await runtime.teardown()
          await Promise.all([server.exit, sleeper.exit])
          await eventually(() => canBind(port), `port ${port} to be free`)
          await expect(runtime.spawn('node', ['-e', ''])).rejects.toThrow()
          await runtime.teardown()
        },
        SLOW,
      )
    })
  })
}

function sorted<T extends { name: string }>(entries: T[]): T[] {
  return [...entries].sort((a, b) => a.name.localeCompare(b.name))
}
