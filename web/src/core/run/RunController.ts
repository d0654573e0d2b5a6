import type { Runtime } from '../runtime/index.ts'
import { DisposableStore, Store } from '../store.ts'
import type { TerminalSession, Terminals } from '../terminal/Terminals.ts'
import { runReducer, tail } from './runState.ts'
import type { RunEvent, RunState } from './runState.ts'

export interface RunControllerDeps {
  /// Resolves with the booted runtime (or rejects with the reason it could not boot).
  runtime: () => Promise<Runtime>
  terminals: Terminals
  /// The project's package.json text, if any.
  packageJson: () => string | undefined
  /// Seconds to wait for a server before calling the start failed.
  portTimeoutSeconds?: number
}

/// Runs a project as a person would: `npm install` (when it has dependencies), then its `dev` or `start` script,
/// each in its own terminal tab, following the stepper's states until a server is ready.
export class RunController {
  readonly store = new Store<RunState>({ status: 'idle' })
  private run = new DisposableStore()
  private sessions: TerminalSession[] = []
  /// The tabs of the last run, by step: the next run takes their places instead of opening more.
  private tabs: { install?: TerminalSession | undefined; script?: TerminalSession | undefined } = {}
  private generation = 0

  constructor(private readonly deps: RunControllerDeps) {}

  private send(event: RunEvent, generation: number) {
    if (generation === this.generation) this.store.update((s) => runReducer(s, event))
  }

  /// Starts (or restarts) the project; the previous run's processes are stopped first.
  async start(): Promise<void> {
    this.stop()
    const gen = ++this.generation
    this.run = new DisposableStore()
    const scope = this.run
    this.send({ type: 'start' }, gen)
    let runtime: Runtime
    try {
      runtime = await this.deps.runtime()
    } catch (err) {
      return this.send({ type: 'boot-failed', error: err instanceof Error ? err.message : String(err) }, gen)
    }
    if (gen !== this.generation) return
    this.send({ type: 'booted' }, gen)

    let pkg: { scripts?: Record<string, string>; dependencies?: object; devDependencies?: object } = {}
    try {
      pkg = JSON.parse(this.deps.packageJson() ?? '{}')
    } catch {
      return this.send({ type: 'install-failed', code: 1, tail: 'package.json is not valid JSON' }, gen)
    }
    const hasDeps = Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.devDependencies ?? {}).length > 0
    if (hasDeps) {
      const install = await this.deps.terminals.run('npm install', 'npm', ['install', '--no-audit', '--no-fund'], this.tabs.install)
      if (gen !== this.generation) return this.deps.terminals.close(install.id)
      this.tabs.install = install
      this.sessions.push(install)
      scope.add(install.attach((chunk) => chunk.split(/\r?\n/).forEach((line) => this.send({ type: 'install-progress', line }, gen))))
      const code = await install.process.exit
      if (gen !== this.generation) return
      if (code !== 0) return this.send({ type: 'install-failed', code, tail: tail(install.text) }, gen)
      this.send({ type: 'installed' }, gen)
    } else {
      // The dependencies went away since the last run: its install tab has nothing left to say.
      if (this.tabs.install) this.deps.terminals.close(this.tabs.install.id)
      this.tabs.install = undefined
      this.send({ type: 'install-skipped' }, gen)
    }

    const script = pkg.scripts?.dev ? 'dev' : pkg.scripts?.start ? 'start' : undefined
    if (!script) return this.send({ type: 'no-script' }, gen)
    scope.add(runtime.on('server-ready', (port, url) => this.send({ type: 'server-ready', port, url }, gen)))
    const session = await this.deps.terminals.run(`npm run ${script}`, 'npm', ['run', script], this.tabs.script)
    if (gen !== this.generation) return this.deps.terminals.close(session.id)
    this.tabs.script = session
    this.sessions.push(session)
    this.send({ type: 'starting', script }, gen)
    const seconds = this.deps.portTimeoutSeconds ?? 60
    const timer = setTimeout(() => this.send({ type: 'port-timeout', seconds }, gen), seconds * 1000)
    scope.add(() => clearTimeout(timer))
    void session.process.exit.then((code) => {
      clearTimeout(timer)
      this.send({ type: 'script-exited', code, tail: tail(session.text) }, gen)
    })
  }

  /// Stops what the last run started; the stepper goes back to idle.
  stop(): void {
    this.generation++
    this.run.dispose()
    for (const s of this.sessions) s.kill()
    this.sessions = []
    this.store.update((s) => (s.status === 'idle' ? s : { status: 'idle' }))
  }

  dispose(): void {
    this.stop()
  }
}
