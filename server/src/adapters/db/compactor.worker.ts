/// The compaction thread's program (started by `WorkerLogCompactor`): compacts one project's log per message, over
/// its own postgres.js connection. Merging a multi-megabyte doc takes a good part of a second of CPU; in a worker
/// thread it never blocks the event loop that serves requests. The server build bundles it as
/// dist/compactor.worker.js, beside dist/main.js.
import { setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import postgres from 'postgres'
import { compactLog } from './compact-log.ts'
import type { CompactLogDeps, Exec } from './compact-log.ts'
import type { CompactorReply, CompactorRequest, CompactorWorkerData } from './compactor.ts'

const data = workerData as CompactorWorkerData
const port = parentPort
if (!port) throw new Error('compactor.worker.ts runs as a worker thread (see WorkerLogCompactor)')

// Compaction is background work: on Linux a thread's nice value is its own (setpriority on "process" 0 is the
// calling thread), so this thread yields the CPU to the event loop and the digest thread instead of competing.
if (process.platform === 'linux') {
  try {
    setPriority(data.nice)
  } catch {
    // Not permitted here: run at the normal priority.
  }
}

const sql = postgres(data.url, {
  max: 1,
  onnotice: () => {},
  connect_timeout: 5,
  idle_timeout: 60,
  connection: { application_name: 'slipway-compactor' },
})
const execWith =
  (q: postgres.Sql | postgres.TransactionSql): Exec =>
  (text, params) =>
    q.unsafe(text, params as postgres.ParameterOrJSON<never>[]) as unknown as Promise<Array<Record<string, unknown>>>
const deps: CompactLogDeps = {
  transaction: (fn) => sql.begin((tx) => fn(execWith(tx))) as Promise<never>,
  exec: execWith(sql),
  toBytea: (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength),
}

port.on('message', async ({ id, projectId, maxRows }: CompactorRequest) => {
  let reply: CompactorReply
  try {
    reply = { id, result: await compactLog(deps, projectId, maxRows) }
  } catch (err) {
    reply = { id, error: err instanceof Error ? err.message : String(err) }
  }
  port.postMessage(reply)
})
