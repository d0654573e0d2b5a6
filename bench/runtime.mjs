// `pnpm bench:runtime`: benchmarks the local runtime agent (@slipway/runtime-agent, its built `slipway-runtime`
// command) on the path the browser uses — WebSocket + the agent's JSON protocol + the LocalRuntime adapter
// (web/src/adapters/local), driven from Node with `ws` instead of a page (so the browser's own WebSocket/stream costs
// are NOT included) — against the same operations done directly in Node (node:child_process, node:fs) in the same
// run, alternating run-by-run.
//
//   (1) spawn-to-first-output  `node -e "process.stdout.write('x')"`, piped (no pty): spawn() call → first output
//                              chunk. Direct: child_process.spawn → first stdout 'data'. 30 runs each.
//   (2) throughput             a process writing 50 MiB to stdout (64 KiB writes honouring backpressure): MiB/s
//                              from spawn() to the end of the output stream. 3 runs each.
//   (3) watch latency          recursive watch of the project root; a spawned process writes a new file every 50 ms
//                              (40 per round, 2 rounds) and prints a timestamp per write; latency = first event for
//                              that file arriving − write time. Direct: fs.watch(dir, {recursive: true}).
//
// Writes bench/results/runtime-<timestamp>.json and bench/results/runtime-latest.json and prints a table.
// Env: BENCH_SPAWN_RUNS (30), BENCH_THROUGHPUT_RUNS (3), BENCH_WATCH_ROUNDS (2); the quickest run that still measures
// everything: BENCH_SPAWN_RUNS=5 BENCH_THROUGHPUT_RUNS=1 BENCH_WATCH_ROUNDS=1. Quantiles are nearest-rank.
// Exit code 1 only when the bench itself could not run.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { createCleanup, fileStamp, RESULTS_DIR, ROOT, stats, startRuntimeAgent } from './lib.mjs'

const CLIENT_TIMEOUT_MS = 180_000

const log = (message) => process.stderr.write(`[bench] ${message}\n`)

function runClient(url, baselineDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'runtime-client.ts'), url, baselineDir], {
      cwd: join(ROOT, 'bench'), // where `--import tsx` resolves
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {}
    }, CLIENT_TIMEOUT_MS)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      if (code !== 0) return reject(new Error(`client exited with ${code ?? signal}`))
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()))
      } catch (error) {
        reject(new Error(`client printed no JSON: ${error.message}\n${stdout}`))
      }
    })
  })
}

const summarize = (samples) => stats(samples, { qs: [0.5, 0.99] })

const r2 = (x) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : x)
const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a')

async function main() {
  const started = new Date()
  const cleanup = createCleanup(log)
  const dataDir = mkdtempSync(join(os.tmpdir(), 'slipway-bench-agent-'))
  const baselineDir = mkdtempSync(join(os.tmpdir(), 'slipway-bench-direct-'))
  cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }))
  cleanup.add(() => rmSync(baselineDir, { recursive: true, force: true }))
  let raw
  try {
    // --origin is required; the client connects from Node with no Origin, so the value only has to be valid.
    const agent = await startRuntimeAgent({ cleanup, dataDir, origin: 'http://localhost:3000' })
    log(`agent up (pid ${agent.pid}); running client`)
    raw = await runClient(agent.url, baselineDir)
  } finally {
    await cleanup.run()
  }

  const spawnStats = { runtime: summarize(raw.spawn.runtime), direct: summarize(raw.spawn.direct) }
  const tput = (runs) => {
    const mbps = runs.map((r) => r.mbPerSec)
    return { runs: runs.map((r) => ({ ...r, totalMs: r2(r.totalMs), firstMs: r2(r.firstMs), mbPerSec: r2(r.mbPerSec), mbPerSecAfterFirst: r2(r.mbPerSecAfterFirst) })), median: summarize(mbps).p50, min: Math.min(...mbps), max: Math.max(...mbps) }
  }
  const throughput = { runtime: tput(raw.throughput.runtime), direct: tput(raw.throughput.direct) }
  const watchStats = {
    runtime: { ...summarize(raw.watch.runtime), missed: raw.watch.runtimeMissed },
    direct: { ...summarize(raw.watch.direct), missed: raw.watch.directMissed },
  }
  const round = (s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, r2(v)]))

  const result = {
    bench: 'runtime',
    startedAt: started.toISOString(),
    durationSec: r2((Date.now() - started.getTime()) / 1000),
    path: 'ws (Node) → agent WebSocket + JSON protocol → LocalRuntime adapter; no browser',
    machine: { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadavgAtEnd: os.loadavg().map(r2) },
    streamBytes: raw.streamBytes,
    spawnToFirstOutputMs: {
      runtime: round(spawnStats.runtime),
      direct: round(spawnStats.direct),
      ratioP50: r2(spawnStats.runtime.p50 / spawnStats.direct.p50),
      ratioP99: r2(spawnStats.runtime.p99 / spawnStats.direct.p99),
    },
    throughputMiBps: {
      runtime: { ...throughput.runtime, median: r2(throughput.runtime.median), min: r2(throughput.runtime.min), max: r2(throughput.runtime.max) },
      direct: { ...throughput.direct, median: r2(throughput.direct.median), min: r2(throughput.direct.min), max: r2(throughput.direct.max) },
      ratioMedian: r2(throughput.runtime.median / throughput.direct.median),
    },
    watchLatencyMs: {
      runtime: round(watchStats.runtime),
      direct: round(watchStats.direct),
      ratioP50: r2(watchStats.runtime.p50 / watchStats.direct.p50),
      ratioP99: r2(watchStats.runtime.p99 / watchStats.direct.p99),
    },
    samples: raw,
  }

  const rows = [
    ['metric', 'runtime', 'direct', 'runtime/direct'],
    ['spawn→first output p50 (ms)', fmt(spawnStats.runtime.p50), fmt(spawnStats.direct.p50), fmt(result.spawnToFirstOutputMs.ratioP50, 2)],
    ['spawn→first output p99 (ms)', fmt(spawnStats.runtime.p99), fmt(spawnStats.direct.p99), fmt(result.spawnToFirstOutputMs.ratioP99, 2)],
    ['50 MiB stream, median (MiB/s)', fmt(throughput.runtime.median), fmt(throughput.direct.median), fmt(result.throughputMiBps.ratioMedian, 2)],
    ['50 MiB stream, min–max (MiB/s)', `${fmt(throughput.runtime.min)}–${fmt(throughput.runtime.max)}`, `${fmt(throughput.direct.min)}–${fmt(throughput.direct.max)}`, ''],
    ['watch latency p50 (ms)', fmt(watchStats.runtime.p50), fmt(watchStats.direct.p50), fmt(result.watchLatencyMs.ratioP50, 2)],
    ['watch latency p99 (ms)', fmt(watchStats.runtime.p99), fmt(watchStats.direct.p99), fmt(result.watchLatencyMs.ratioP99, 2)],
    ['watch events missed', `${watchStats.runtime.missed}/${watchStats.runtime.n + watchStats.runtime.missed}`, `${watchStats.direct.missed}/${watchStats.direct.n + watchStats.direct.missed}`, ''],
  ]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  console.log()
  console.log(line(rows[0]))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of rows.slice(1)) console.log(line(r))
  console.log(`\n(${result.machine.cpus} CPUs, load average at end ${result.machine.loadavgAtEnd.join(' ')}; ${result.durationSec} s)`)

  mkdirSync(RESULTS_DIR, { recursive: true })
  const stamp = fileStamp(started)
  const json = JSON.stringify(result, null, 2) + '\n'
  writeFileSync(join(RESULTS_DIR, `runtime-${stamp}.json`), json)
  writeFileSync(join(RESULTS_DIR, 'runtime-latest.json'), json)
  const { samples, ...summary } = result
  console.log('\n' + JSON.stringify(summary, null, 2))
  log(`wrote bench/results/runtime-${stamp}.json and bench/results/runtime-latest.json`)
}

main().catch((error) => {
  log(error?.stack ?? String(error))
  process.exit(1)
})
