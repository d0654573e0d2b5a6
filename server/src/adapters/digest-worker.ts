import { Worker } from 'node:worker_threads'
import { digestContent, digestInline } from '../domain/project-doc.ts'
import type { DigestFiles, FileContent, FileDigest } from '../ports.ts'

/// Below this many bytes a batch is hashed on the calling thread: posting it would cost more than hashing it.
const INLINE_BELOW_BYTES = 64 * 1024

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const digestContent = (${digestContent.toString()})
parentPort.on('message', ({ id, files }) => {
  try {
    parentPort.postMessage({ id, digests: files.map((f) => digestContent(createHash, f)) })
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) })
  }
})
`

/// Hashes large batches of files on a worker thread, so a sync's SHA-256s (whole files, every time they change)
/// run beside the event loop instead of on it. The thread starts on first use and stops after `idleMs` unused.
export function workerDigester(idleMs = 10_000): DigestFiles {
  let worker: Worker | undefined
  let idleTimer: NodeJS.Timeout | undefined
  let nextId = 0
  const pending = new Map<number, { resolve: (d: FileDigest[]) => void; reject: (e: Error) => void }>()

  const stop = () => {
    const w = worker
    worker = undefined
    void w?.terminate()
  }
  const start = () => {
    const w = new Worker(WORKER_SOURCE, { eval: true })
    w.unref()
    w.on('message', (m: { id: number; digests?: FileDigest[]; error?: string }) => {
      const p = pending.get(m.id)
      pending.delete(m.id)
      if (m.error !== undefined) p?.reject(new Error(`digest failed: ${m.error}`))
      else p?.resolve(m.digests!)
    })
    const fail = (err: Error) => {
      if (worker === w) worker = undefined
      for (const p of pending.values()) p.reject(err)
      pending.clear()
    }
    w.on('error', fail)
    w.on('exit', (code) => fail(new Error(`digest worker exited (${code})`)))
    return w
  }

  const digest = (files: FileContent[]): Promise<FileDigest[]> => {
    let bytes = 0
    for (const f of files) bytes += typeof f.content === 'string' ? f.content.length : f.content.byteLength
    if (bytes < INLINE_BELOW_BYTES) return digestInline(files)
    worker ??= start()
    clearTimeout(idleTimer)
    idleTimer = setTimeout(() => pending.size === 0 && stop(), idleMs)
    idleTimer.unref()
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      worker!.postMessage({ id, files })
    })
  }
  return digest
}
