import { Worker } from 'node:worker_threads'
import type { PGlite } from '@electric-sql/pglite'
import type { LogCompactor } from '../../ports.ts'
import { compactLog } from './compact-log.ts'
import type { CompactionResult, Exec } from './compact-log.ts'

/// Compactions run one project at a time each: a request for a project already being compacted is dropped (the
/// next push past the threshold asks again). Failures are logged by nobody and change nothing (the log stays).
abstract class SingleFlightCompactor implements LogCompactor {
  private readonly running = new Map<string, Promise<unknown>>()
  private closed = false

  constructor(protected readonly maxRows: number) {}

  protected abstract run(projectId: string): Promise<CompactionResult>

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
        transaction: (fn) => this.client.transaction((tx) => fn(execWith(tx))),
        exec: execWith(this.client),
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

/// What `compactor.worker.ts` is started with, and the messages it answers.
export interface CompactorWorkerData {
  url: string
  nice: number
}
export interface CompactorRequest {
  id: number
  projectId: string
  maxRows: number
}
export type CompactorReply = { id: number; result: CompactionResult; error?: undefined } | { id: number; error: string }

/// The worker's program. Bundled (dist/main.js), this module's code sits in dist/ beside the worker's own bundle,
/// dist/compactor.worker.js (scripts/build.mjs). From source (tsx, vitest), compactor.worker.dev.mjs loads the .ts.
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './compactor.worker.dev.mjs' : './compactor.worker.js', import.meta.url)

/// In a worker thread with its own connection to Postgres (compactor.worker.ts), started at the first request.
export class WorkerLogCompactor extends SingleFlightCompactor {
  private worker: Worker | undefined
  private readonly pending = new Map<number, { resolve: (r: CompactionResult) => void; reject: (e: Error) => void }>()
  private nextId = 0

  constructor(
    private readonly url: string,
    maxRows: number,
  ) {
    super(maxRows)
  }

  private start(): Worker {
    const workerData: CompactorWorkerData = { url: this.url, nice: COMPACTOR_NICE }
    const worker = new Worker(WORKER_ENTRY, { workerData })
    worker.unref()
    worker.on('message', (m: CompactorReply) => {
      const p = this.pending.get(m.id)
      this.pending.delete(m.id)
      if (m.error !== undefined) p?.reject(new Error(`compaction failed: ${m.error}`))
      else p?.resolve(m.result)
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
    return new Promise<CompactionResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      const request: CompactorRequest = { id, projectId, maxRows: this.maxRows }
      this.worker!.postMessage(request)
    })
  }

  protected async shutdown() {
    const w = this.worker
    this.worker = undefined
    // Its connection closes with the thread (no job is running after `idle()`).
    await w?.terminate()
  }
}
