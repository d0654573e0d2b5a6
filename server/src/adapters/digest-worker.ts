import { Worker } from 'node:worker_threads'
import { digestContent, digestInline } from '../domain/project-doc.ts'
import type { DigestFiles, FileContent, FileDigest } from '../ports.ts'

/// Below this many bytes of binaries a batch is hashed on the calling thread: posting it would cost more than
/// hashing it.
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

/// Hashes a sync's binary files on a worker thread when there are many bytes of them, so their SHA-256s (whole
/// files, every time they change) run beside the event loop; posting bytes is a copy, far cheaper than hashing them.
/// Texts are hashed on the calling thread: posting a text clones its strings, which costs the event loop as much as
/// hashing them piece by piece (`digestContent`). The thread starts on first use and stops after `idleMs` unused.
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

  const post = (files: FileContent[]): Promise<FileDigest[]> => {
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

  const digest = async (files: FileContent[]): Promise<FileDigest[]> => {
    let binaryBytes = 0
    for (const f of files) if (f.content instanceof Uint8Array) binaryBytes += f.content.byteLength
    if (binaryBytes < INLINE_BELOW_BYTES) return digestInline(files)
    const binaries = files.filter((f) => f.content instanceof Uint8Array)
    const [posted, texts] = await Promise.all([post(binaries), digestInline(files.filter((f) => !(f.content instanceof Uint8Array)))])
    const byPath = new Map([...posted, ...texts].map((d) => [d.path, d]))
    return files.map((f) => byPath.get(f.path)!)
  }
  return digest
}
