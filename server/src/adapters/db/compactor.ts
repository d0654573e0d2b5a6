import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { PGlite } from '@electric-sql/pglite'
import * as Y from 'yjs'
import type { CompactionPlan, Exec } from '../../domain/compaction.ts'
import { compactLog, mergeRows, planCompaction } from '../../domain/compaction.ts'
import type { LogCompactor } from '../../ports.ts'

/// Compactions run one project at a time each: a request for a project already being compacted is dropped (the
/// next push past the threshold asks again). Failures are logged by nobody and change nothing (the log stays).
abstract class SingleFlightCompactor implements LogCompactor {
  private readonly running = new Map<string, Promise<unknown>>()
  private closed = false

  constructor(protected readonly maxRows: number) {}

  protected abstract run(projectId: string): Promise<{ removed: number; plan?: CompactionPlan }>

  request(projectId: string): void {
    if (this.closed || this.running.has(projectId)) return
    const job = this.run(projectId)
      .catch(() => undefined)
      .finally(() => this.running.delete(projectId))
    this.running.set(projectId, job)
  }

  async compactNow(projectId: string) {
    await this.idle()
    return this.run(projectId)
  }

  async idle(): Promise<void> {
    while (this.running.size) await Promise.all(this.running.values())
  }

  async close(): Promise<void> {
    this.closed = true
    await this.idle()
    await this.shutdown()
  }

  protected abstract shutdown(): Promise<void>
}

/// On the event loop, over the same PGlite (embedded, one process: the data is in this process anyway).
export class PgliteLogCompactor extends SingleFlightCompactor {
  constructor(
    private readonly client: PGlite,
    maxRows: number,
  ) {
    super(maxRows)
  }

  protected run(projectId: string) {
    const execWith =
      (q: Pick<PGlite, 'query'>): Exec =>
      async (text, params) =>
        (await q.query<Record<string, unknown>>(text, params)).rows
    return compactLog(
      {
        Y,
        transaction: (fn) => this.client.transaction((tx) => fn(execWith(tx))),
        exec: execWith(this.client),
        plan: planCompaction,
        merge: mergeRows,
        toBytea: (b) => b,
      },
      projectId,
      this.maxRows,
    )
  }

  protected async shutdown() {}
}

/// The compaction thread's nice value (Linux): the lowest priority there is.
const COMPACTOR_NICE = 19

/// The worker's program: the domain's compaction functions from their source text, over its own postgres.js
/// connection. Merging a multi-megabyte doc takes a good part of a second of CPU; in a worker thread it never
/// blocks the event loop that serves requests.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
// Compaction is background work: on Linux a thread's nice value is its own (setpriority on "process" 0 is the
// calling thread), so this thread yields the CPU to the event loop and the digest thread instead of competing.
if (process.platform === 'linux') {
  try {
    require('node:os').setPriority(workerData.nice)
  } catch {}
}
const Y = require(workerData.yjsPath)
const postgres = require(workerData.postgresPath)
const sql = postgres(workerData.url, { max: 1, onnotice: () => {}, connect_timeout: 5, idle_timeout: 60, connection: { application_name: 'slipway-compactor' } })
const plan = (${planCompaction.toString()})
const merge = (${mergeRows.toString()})
const compactLog = (${compactLog.toString()})
const exec = (q) => (text, params) => q.unsafe(text, params)
const deps = {
  Y,
  transaction: (fn) => sql.begin((tx) => fn(exec(tx))),
  exec: exec(sql),
  plan,
  merge,
  toBytea: (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength),
}
parentPort.on('message', async ({ id, projectId, maxRows }) => {
  try {
    parentPort.postMessage({ id, result: await compactLog(deps, projectId, maxRows) })
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) })
  }
})
`

/// In a worker thread with its own connection to Postgres, started at the first request.
export class WorkerLogCompactor extends SingleFlightCompactor {
  private worker: Worker | undefined
  private readonly pending = new Map<number, { resolve: (r: { removed: number; plan?: CompactionPlan }) => void; reject: (e: Error) => void }>()
  private nextId = 0

  constructor(
    private readonly url: string,
    maxRows: number,
  ) {
    super(maxRows)
  }

  private start(): Worker {
    const require = createRequire(import.meta.url)
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { url: this.url, yjsPath: require.resolve('yjs'), postgresPath: require.resolve('postgres'), nice: COMPACTOR_NICE },
    })
    worker.unref()
    worker.on('message', (m: { id: number; result?: { removed: number; plan?: CompactionPlan }; error?: string }) => {
      const p = this.pending.get(m.id)
      this.pending.delete(m.id)
      if (m.error !== undefined) p?.reject(new Error(`compaction failed: ${m.error}`))
      else p?.resolve(m.result!)
    })
    const fail = (err: Error) => {
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
      if (this.worker === worker) this.worker = undefined
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`compaction worker exited (${code})`)))
    return worker
  }

  protected run(projectId: string) {
    this.worker ??= this.start()
    const id = this.nextId++
    return new Promise<{ removed: number; plan?: CompactionPlan }>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker!.postMessage({ id, projectId, maxRows: this.maxRows })
    })
  }

  protected async shutdown() {
    const w = this.worker
    this.worker = undefined
    // Its connection closes with the thread (no job is running after `idle()`).
    await w?.terminate()
  }
}
