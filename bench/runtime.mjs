// `node bench/runtime.mjs`: benchmarks the local runtime agent (@slipway/runtime-agent, its built `slipway-runtime`
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
// Env: BENCH_SPAWN_RUNS (30), BENCH_THROUGHPUT_RUNS (3), BENCH_WATCH_ROUNDS (2).
// Exit code 1 only when the bench itself could not run.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const SERVER = join(ROOT, 'server')
const AGENT = join(ROOT, 'runtime-agent')
const RESULTS = join(ROOT, 'bench', 'results')
const AGENT_START_TIMEOUT_MS = 30_000
const CLIENT_TIMEOUT_MS = 180_000

const log = (message) => process.stderr.write(`[bench] ${message}\n`)

/// The package's `slipway-runtime` command, built from its current sources: what a person running it with npx gets.
function agentCommand() {
  const built = spawnSync(process.execPath, [join(AGENT, 'scripts', 'build.mjs')], { encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`building @slipway/runtime-agent failed: ${built.stderr}`)
  return join(AGENT, JSON.parse(readFileSync(join(AGENT, 'package.json'), 'utf8')).bin['slipway-runtime'])
}

function startAgent(dataDir) {
  const child = spawn(
    process.execPath,
    // --origin is required; the client connects from Node with no Origin, so the value only has to be valid. The
    // agent's own settings in this environment (SLIPWAY_RUNTIME_*, e.g. a token file) are not passed on.
    [agentCommand(), '--port', '0', '--data-dir', dataDir, '--origin', 'http://localhost:3000'],
    {
      cwd: dataDir,
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SLIPWAY_RUNTIME_'))),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  )
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const url = new Promise((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => reject(new Error(`agent printed no SLIPWAY_RUNTIME_URL within ${AGENT_START_TIMEOUT_MS} ms\n${stderr}`)), AGENT_START_TIMEOUT_MS)
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk
      const match = /^SLIPWAY_RUNTIME_URL=(\S+)$/m.exec(stdout)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`agent exited with ${code}\n${stderr}`))
    })
  })
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const signalGroup = (signal) => {
      try {
        process.kill(-child.pid, signal)
      } catch {}
    }
    signalGroup('SIGTERM')
    const killer = setTimeout(() => signalGroup('SIGKILL'), 5_000)
    await exited
    clearTimeout(killer)
    signalGroup('SIGKILL') // anything left in the group
  }
  return { url, stop, pid: child.pid }
}

function runClient(url, baselineDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'runtime-client.ts'), url, baselineDir], {
      cwd: SERVER, // where tsx resolves; the client resolves `ws` from web/ itself
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

// ---- statistics ----

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1),
  }
}

const r2 = (x) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : x)
const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a')

async function main() {
  const started = new Date()
  const dataDir = mkdtempSync(join(os.tmpdir(), 'slipway-bench-agent-'))
  const baselineDir = mkdtempSync(join(os.tmpdir(), 'slipway-bench-direct-'))
  const agent = startAgent(dataDir)
  let raw
  try {
    const url = await agent.url
    log(`agent up (pid ${agent.pid}); running client`)
    raw = await runClient(url, baselineDir)
  } finally {
    await agent.stop()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(baselineDir, { recursive: true, force: true })
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

  mkdirSync(RESULTS, { recursive: true })
  const stamp = started.toISOString().replace(/[:.]/g, '-')
  const json = JSON.stringify(result, null, 2) + '\n'
  writeFileSync(join(RESULTS, `runtime-${stamp}.json`), json)
  writeFileSync(join(RESULTS, 'runtime-latest.json'), json)
  const { samples, ...summary } = result
  console.log('\n' + JSON.stringify(summary, null, 2))
  log(`wrote bench/results/runtime-${stamp}.json and bench/results/runtime-latest.json`)
}

main().catch((error) => {
  log(error?.stack ?? String(error))
  process.exit(1)
})
