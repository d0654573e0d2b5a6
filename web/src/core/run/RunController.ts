import type { Runtime } from '../runtime/index.ts'
import { DisposableStore, Store } from '../store.ts'
import { isSessionMarker } from '../terminal/Terminals.ts'
import type { TerminalSession, Terminals } from '../terminal/Terminals.ts'
import { errorExcerpt } from './errorExcerpt.ts'
import type { ErrorExcerpt } from './errorExcerpt.ts'
import { RunOutput } from './runOutput.ts'
import type { RunSignal } from './runOutput.ts'
import { runReducer } from './runState.ts'
import type { RunEvent, RunState } from './runState.ts'
import { ServerClaim } from './serverClaim.ts'
import type { ClaimAnswer } from './serverClaim.ts'
import { TerminalLines } from './terminalLines.ts'

export interface RunControllerDeps {
  /// Resolves with the booted runtime (or rejects with the reason it could not boot).
  runtime: () => Promise<Runtime>
  terminals: Terminals
  /// The project's package.json text, if any.
  packageJson: () => string | undefined
  /// Writes edits still waiting into the runtime's files, so a run right after an edit runs what the person sees.
  flush?: () => Promise<void>
  /// Seconds to wait for a server before saying that none is listening (the run goes on).
  portTimeoutSeconds?: number
  /// Ports listening now (the port switcher's list). Those open when the script starts are not the run's server.
  openPorts?: () => Iterable<number>
  /// How long a new server waits to be claimed as the run's when something else (a shell) could have started it.
  claimGraceMs?: number
  /// How long after its exit a process's last output may still arrive (it is read separately from the exit code).
  exitSettleMs?: number
}

/// Lines kept of the install's output for its failure excerpt.
const INSTALL_LINES = 400
/// Lines of a finished script's output kept for the person.
const OUTPUT_LINES = 40

/// Runs a project as a person would: `npm install` (when it has dependencies), then its `dev` or `start` script,
/// each in its own terminal tab, following the stepper's states until a server is ready. The script's output is
/// read as it streams: a watcher's crash or finish, and the port it says it serves on, which tells its server from
/// one started in a terminal (see `ServerClaim`).
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
    try {
      await this.deps.flush?.()
    } catch {
      // A write that failed is reported where writes are; the run goes on with what the runtime has.
    }
    if (gen !== this.generation) return
    this.send({ type: 'booted' }, gen)

    let pkg: { scripts?: Record<string, string>; dependencies?: object; devDependencies?: object } = {}
    try {
      pkg = JSON.parse(this.deps.packageJson() ?? '{}')
    } catch {
      return this.send({ type: 'install-failed', code: 1, line: 'package.json is not valid JSON', excerpt: '' }, gen)
    }
    const hasDeps = Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.devDependencies ?? {}).length > 0
    if (hasDeps) {
      const install = await this.deps.terminals.run('npm install', 'npm', ['install', '--no-audit', '--no-fund'], this.tabs.install)
      if (gen !== this.generation) return this.deps.terminals.close(install.id)
      this.tabs.install = install
      this.sessions.push(install)
      const terminal = new TerminalLines()
      const lines: string[] = []
      scope.add(
        install.attach((chunk) => {
          for (const line of terminal.push(chunk)) {
            lines.push(line)
            this.send({ type: 'install-progress', line }, gen)
          }
          if (lines.length > INSTALL_LINES) lines.splice(0, lines.length - INSTALL_LINES)
        }),
      )
      const code = await install.process.exit
      await this.settle()
      if (gen !== this.generation) return
      if (code !== 0) return this.send({ type: 'install-failed', code, ...excerptOf([...lines, terminal.partial]) }, gen)
      this.send({ type: 'installed' }, gen)
    } else {
      // The dependencies went away since the last run: its install tab has nothing left to say.
      if (this.tabs.install) this.deps.terminals.close(this.tabs.install.id)
      this.tabs.install = undefined
      this.send({ type: 'install-skipped' }, gen)
    }

    const script = pkg.scripts?.dev ? 'dev' : pkg.scripts?.start ? 'start' : undefined
    if (!script) return this.send({ type: 'no-script' }, gen)

    // Which server is the run's: servers already listening are not; the run's output names its own.
    const claim = new ServerClaim(this.deps.openPorts?.() ?? [])
    let session: TerminalSession | undefined
    const othersMayServe = () => this.deps.terminals.store.get().sessions.some((s) => s !== session && s !== this.tabs.install && s.exitCode === undefined)
    const act = (answer: ClaimAnswer) => {
      if (answer.type === 'claim') this.send({ type: 'server-ready', port: answer.port, url: answer.url }, gen)
      else if (answer.type === 'wait') {
        const wait = setTimeout(() => act(claim.settle(answer.port)), this.deps.claimGraceMs ?? 1500)
        scope.add(() => clearTimeout(wait))
      }
    }
    scope.add(runtime.on('server-ready', (port, url) => act(claim.ready(port, url, othersMayServe()))))
    scope.add(
      runtime.on('port', (port, type) => {
        if (type === 'close' && claim.closed(port)) this.send({ type: 'server-closed', port }, gen)
      }),
    )

    const started = await this.deps.terminals.run(`npm run ${script}`, 'npm', ['run', script], this.tabs.script)
    if (gen !== this.generation) return this.deps.terminals.close(started.id)
    session = started
    this.tabs.script = started
    this.sessions.push(started)
    this.send({ type: 'starting', script }, gen)
    const seconds = this.deps.portTimeoutSeconds ?? 60
    const timer = setTimeout(() => this.send({ type: 'port-timeout', seconds }, gen), seconds * 1000)
    scope.add(() => clearTimeout(timer))

    const output = new RunOutput()
    const onSignal = (signal: RunSignal) => {
      switch (signal.type) {
        case 'port':
          return act(claim.mention(signal.port))
        case 'crashed':
          clearTimeout(timer)
          return this.send({ type: 'crashed', ...excerptOf(output.lines) }, gen)
        case 'completed':
          clearTimeout(timer)
          return this.send({ type: 'completed', output: printed(output.lines) }, gen)
        case 'restarting':
          return this.send({ type: 'restarting' }, gen)
      }
    }
    scope.add(started.attach((chunk) => output.push(chunk).forEach(onSignal)))
    void started.process.exit.then(async (code) => {
      clearTimeout(timer)
      await this.settle()
      this.send({ type: 'script-exited', code, ...excerptOf(output.lines), output: printed(output.lines) }, gen)
    })
  }

  /// Brings the terminal tab with the output the stepper reports on to the front: the install's when it failed,
  /// the script's otherwise. False when that tab is gone.
  showOutput(): boolean {
    const s = this.store.get()
    const tab = s.status === 'failed' && s.step === 'installing' ? this.tabs.install : this.tabs.script
    if (!tab || !this.deps.terminals.store.get().sessions.includes(tab)) return false
    this.deps.terminals.activate(tab.id)
    return true
  }

  private settle(): Promise<void> {
    return new Promise((r) => setTimeout(r, this.deps.exitSettleMs ?? 100))
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

function excerptOf(lines: readonly string[]): { line?: string; excerpt: string } {
  const ex: ErrorExcerpt = errorExcerpt(lines)
  return { ...(ex.line ? { line: ex.line } : {}), excerpt: ex.lines.join('\n') }
}

/// The last lines a finished script printed, without `npm run`'s banner ("> name@ dev", "> node index.js") and the
/// terminal's exit marker.
function printed(lines: readonly string[]): string {
  const own = lines.filter((l) => l.trim() && !isSessionMarker(l) && !l.startsWith('> '))
  return own.slice(-OUTPUT_LINES).join('\n')
}
