// The measuring half of `pnpm bench:runtime` (run by bench/runtime.mjs; not meant to be run alone).
//
// Drives the local runtime agent exactly as the IDE does — web/src/adapters/local (LocalRuntime over a WebSocket,
// the agent's JSON protocol) — with `ws` standing in for the page's WebSocket, and measures the same operations done
// directly with node:child_process / node:fs in this process. Runtime and direct runs alternate run-by-run, so both
// see the same machine load. Prints one JSON object on stdout (diagnostics go to stderr).
//
//   node --import tsx runtime-client.ts <agent-url> <baseline-dir>     (cwd: bench/, where tsx resolves)
import { spawn as spawnChild } from 'node:child_process'
import { watch as fsWatch } from 'node:fs'
import { basename } from 'node:path'
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'
import { LocalRuntime } from '../web/src/adapters/local/index.ts'
import type { Runtime } from '../web/src/core/runtime/Runtime.ts'

const [urlArg, baselineDirArg] = process.argv.slice(2)
if (!urlArg || !baselineDirArg) throw new Error('usage: runtime-client.ts <agent-url> <baseline-dir>')
const url: string = urlArg
const baselineDir: string = baselineDirArg

const NODE = process.execPath
const SPAWN_RUNS = Number(process.env.BENCH_SPAWN_RUNS ?? 30)
const THROUGHPUT_RUNS = Number(process.env.BENCH_THROUGHPUT_RUNS ?? 3)
const WATCH_ROUNDS = Number(process.env.BENCH_WATCH_ROUNDS ?? 2)
const WATCH_FILES = 40
const WATCH_INTERVAL_MS = 50

const FIRST_OUTPUT_ARGS = ['-e', "process.stdout.write('x')"]
const CHUNK = 65536
const CHUNKS = 800
const STREAM_BYTES = CHUNK * CHUNKS // 50 MiB
const STREAM_ARGS = [
  '-e',
  `const b='x'.repeat(${CHUNK});let n=${CHUNKS};(function w(){while(n-->0){if(!process.stdout.write(b))return process.stdout.once('drain',w)}})()`,
]
// Writes WATCH_FILES files, one every WATCH_INTERVAL_MS, each with a unique name; prints "<name> <epoch ms>" per
// write, the time taken just before the write (performance.timeOrigin + performance.now(): sub-ms, same clock in
// every process on this machine).
const writerArgs = (tag: string) => [
  '-e',
  `const fs=require('fs');let i=0;const t=setInterval(()=>{const n='w-${tag}-'+i+'.txt';const ts=performance.timeOrigin+performance.now();fs.writeFileSync(n,'x');process.stdout.write(n+' '+ts+'\\n');if(++i>=${WATCH_FILES})clearInterval(t)},${WATCH_INTERVAL_MS})`,
]
const now = () => performance.timeOrigin + performance.now()

const log = (message: string) => process.stderr.write(`[client] ${message}\n`)

// ---- runtime side (through LocalRuntime) ----

async function runtimeRun(runtime: Runtime, args: string[], onChunk?: (chunk: string) => void) {
  const t0 = performance.now()
  const proc = await runtime.spawn(NODE, args)
  const reader = proc.output.getReader()
  let first = -1
  let chars = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (first < 0) first = performance.now()
    chars += value.length
    onChunk?.(value)
  }
  const end = performance.now()
  const code = await proc.exit
  if (code !== 0) throw new Error(`runtime process exited with ${code}`)
  return { firstMs: first - t0, totalMs: end - t0, chars }
}

// ---- direct side (node:child_process in this process) ----

function directRun(args: string[], cwd?: string, onChunk?: (chunk: string) => void) {
  return new Promise<{ firstMs: number; totalMs: number; chars: number }>((resolve, reject) => {
    const t0 = performance.now()
    const child = spawnChild(NODE, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let first = -1
    let chars = 0
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (first < 0) first = performance.now()
      chars += chunk.length
      onChunk?.(chunk)
    })
    child.stderr.resume()
    child.once('error', reject)
    child.once('close', (code) => {
      const end = performance.now()
      if (code !== 0) reject(new Error(`direct process exited with ${code}`))
      else resolve({ firstMs: first - t0, totalMs: end - t0, chars })
    })
  })
}

// ---- watch latency ----

/// Parses "<name> <epoch ms>" lines from a writer's output.
function lineCollector(writes: Map<string, number>) {
  let buffer = ''
  return (chunk: string) => {
    buffer += chunk
    let newline
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const [name, ts] = buffer.slice(0, newline).trim().split(' ')
      buffer = buffer.slice(newline + 1)
      if (name && ts) writes.set(name, Number(ts))
    }
  }
}

function latencies(writes: Map<string, number>, events: Map<string, number>, tag: string) {
  const out: number[] = []
  let missed = 0
  for (const [name, ts] of writes) {
    const at = events.get(name)
    if (at === undefined) missed++
    else out.push(at - ts)
  }
  if (writes.size !== WATCH_FILES) log(`${tag}: writer reported ${writes.size}/${WATCH_FILES} writes`)
  return { samples: out, missed }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function runtimeWatchRound(runtime: Runtime, tag: string) {
  const events = new Map<string, number>()
  const writes = new Map<string, number>()
  let ready: () => void
  const armed = new Promise<void>((resolve) => (ready = resolve))
  const probe = `probe-${tag}.txt`
  const watch = runtime.fs.watch('.', (event) => {
    const at = now()
    const name = event.path.split('/').pop()!
    if (name === probe) ready()
    if (!events.has(name)) events.set(name, at)
  })
  // The watch is live once the agent's scan is done; a probe file written until it shows up proves it.
  for (let i = 0; ; i++) {
    await runtime.fs.writeFile(probe, String(i))
    const ok = await Promise.race([armed.then(() => true), sleep(200).then(() => false)])
    if (ok) break
    if (i > 50) throw new Error('runtime watch never reported the probe file')
  }
  await sleep(100)
  await runtimeRun(runtime, writerArgs(tag), lineCollector(writes))
  await sleep(500) // let the last events arrive
  watch.dispose()
  return latencies(writes, events, tag)
}

async function directWatchRound(tag: string) {
  const events = new Map<string, number>()
  const writes = new Map<string, number>()
  const watcher = fsWatch(baselineDir, { recursive: true }, (_type, filename) => {
    const at = now()
    if (!filename) return
    const name = basename(filename.toString())
    if (!events.has(name)) events.set(name, at)
  })
  await sleep(300)
  await directRun(writerArgs(tag), baselineDir, lineCollector(writes))
  await sleep(500)
  watcher.close()
  return latencies(writes, events, tag)
}

// ---- main ----

async function main() {
  const connected = await LocalRuntime.connect({ url, project: 'bench', WebSocket })
  if (!connected.ok) throw new Error(`connect failed: ${connected.failure.reason}: ${connected.failure.message}`)
  const runtime = connected.runtime
  try {
    // warm-up: one of each, discarded (module caches, JIT, the agent's first spawn)
    await runtimeRun(runtime, FIRST_OUTPUT_ARGS)
    await directRun(FIRST_OUTPUT_ARGS)

    log(`spawn-to-first-output: ${SPAWN_RUNS} runs each`)
    const spawn = { runtime: [] as number[], direct: [] as number[] }
    for (let i = 0; i < SPAWN_RUNS; i++) {
      // alternate which goes first so neither always follows the other
      if (i % 2 === 0) {
        spawn.runtime.push((await runtimeRun(runtime, FIRST_OUTPUT_ARGS)).firstMs)
        spawn.direct.push((await directRun(FIRST_OUTPUT_ARGS)).firstMs)
      } else {
        spawn.direct.push((await directRun(FIRST_OUTPUT_ARGS)).firstMs)
        spawn.runtime.push((await runtimeRun(runtime, FIRST_OUTPUT_ARGS)).firstMs)
      }
    }

    log(`throughput: ${THROUGHPUT_RUNS} runs each of ${STREAM_BYTES} bytes`)
    const throughput = { runtime: [] as object[], direct: [] as object[] }
    for (let i = 0; i < THROUGHPUT_RUNS; i++) {
      for (const side of i % 2 === 0 ? (['runtime', 'direct'] as const) : (['direct', 'runtime'] as const)) {
        const r = side === 'runtime' ? await runtimeRun(runtime, STREAM_ARGS) : await directRun(STREAM_ARGS)
        if (r.chars !== STREAM_BYTES) throw new Error(`${side}: received ${r.chars} of ${STREAM_BYTES} bytes`)
        const streamMs = r.totalMs - r.firstMs
        throughput[side].push({
          totalMs: r.totalMs,
          firstMs: r.firstMs,
          mbPerSec: STREAM_BYTES / 2 ** 20 / (r.totalMs / 1000),
          mbPerSecAfterFirst: STREAM_BYTES / 2 ** 20 / (streamMs / 1000),
        })
      }
    }

    log(`watch latency: ${WATCH_ROUNDS} rounds × ${WATCH_FILES} files each`)
    const watch = { runtime: [] as number[], direct: [] as number[], runtimeMissed: 0, directMissed: 0 }
    for (let round = 0; round < WATCH_ROUNDS; round++) {
      const r = await runtimeWatchRound(runtime, `r${round}`)
      watch.runtime.push(...r.samples)
      watch.runtimeMissed += r.missed
      const d = await directWatchRound(`d${round}`)
      watch.direct.push(...d.samples)
      watch.directMissed += d.missed
    }

    process.stdout.write(JSON.stringify({ streamBytes: STREAM_BYTES, spawn, throughput, watch }) + '\n')
  } finally {
    await runtime.teardown()
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error))
    process.exit(1)
  },
)
