import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
/// Where the suite makes its Postgres databases (CI exports TEST_DATABASE_URL; the default is this machine's).
const ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

/// A fresh, uniquely named database on the real Postgres server; `drop()` removes it.
export function createDatabase(prefix: string): { url: string; drop(): void } {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_')
  execFileSync('psql', [ADMIN_URL, '-qc', `CREATE DATABASE ${name}`], { stdio: 'pipe' })
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () => {
      try {
        execFileSync('psql', [ADMIN_URL, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'pipe' })
      } catch {
        // best effort
      }
    },
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

/// The production server (server/dist/main.js) on its own port and database, which a test can stop and start again
/// (server down, a new version deployed). The build is the one Playwright's webServer step made.
export class OwnServer {
  private child: ChildProcess | undefined
  readonly url: string

  constructor(
    readonly port: number,
    private readonly databaseUrl: string,
    public webDir = `${root}/web/dist`,
  ) {
    this.url = `http://localhost:${port}`
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [`${root}/server/dist/main.js`], {
      env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', DATABASE_URL: this.databaseUrl, PUBLIC_URL: this.url, SLIPWAY_WEB_DIR: this.webDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child = child
    let log = ''
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()))
    const deadline = Date.now() + 30_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${log}`)
      try {
        const res = await fetch(`${this.url}/api/health`)
        if (res.ok) return
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`server did not start: ${log}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  async stop(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
    if (child.exitCode === null) child.kill('SIGKILL')
    this.child = undefined
  }
}
