import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

/// For benchmarks only (SLIPWAY_DEBUG_STATS_FILE): records the event loop's delay in this process and, on each
/// SIGUSR2, writes what it saw since the previous signal (delay percentiles in ms, memory in bytes) to `file`, then
/// starts over. Nothing is served over HTTP.
export function startDebugStats(file: string): void {
  const resolutionMs = 10
  const delay = monitorEventLoopDelay({ resolution: resolutionMs })
  delay.enable()
  let since = Date.now()
  process.on('SIGUSR2', () => {
    // The histogram records whole timer intervals (an idle loop shows ~10 ms at a 10 ms resolution): the loop's delay
    // is what a sample exceeds the interval by.
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - resolutionMs) * 100) / 100)
    const memory = process.memoryUsage()
    const stats = {
      from: new Date(since).toISOString(),
      to: new Date().toISOString(),
      loopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), mean: ms(delay.mean) },
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    }
    writeFileSync(file, JSON.stringify(stats))
    delay.reset()
    since = Date.now()
  })
}
