import { TerminalLines } from './terminalLines.ts'

/// What a run's own output says about it, beyond its exit code. Watchers (`node --watch`, nodemon) keep running
/// after the program they watch crashed or finished, so only their output tells; and servers print where they
/// listen, which tells the run's own server from one a person started in a terminal.
export type RunSignal =
  /// The watched program crashed; the watcher waits for a change to run it again.
  | { type: 'crashed'; line: string }
  /// The watched program ran to its end (exit 0); the watcher waits for a change.
  | { type: 'completed'; line: string }
  /// A change made the watcher start the program again.
  | { type: 'restarting'; line: string }
  /// The output names a port it serves on (`http://localhost:5173/`, `listening on port 3000`).
  | { type: 'port'; port: number }

const MARKERS: ReadonlyArray<[RegExp, 'crashed' | 'completed' | 'restarting']> = [
  // node --watch (lib/internal/main/watch_mode.js)
  [/^Failed running '.+'/, 'crashed'],
  [/^Completed running '.+'/, 'completed'],
  [/^Restarting '.+'/, 'restarting'],
  // nodemon
  [/^\[nodemon\] app crashed\b/, 'crashed'],
  [/^\[nodemon\] clean exit\b/, 'completed'],
  [/^\[nodemon\] (?:restarting|starting)\b/, 'restarting'],
]

const PORT_PATTERNS: readonly RegExp[] = [
  /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]|[\w-]+(?:\.[\w-]+)*):(\d{1,5})(?![\d.])/gi,
  /\bport\s*[:=]?\s*(\d{2,5})\b/gi,
  /\blistening\s+(?:on|at)\s+(?:[\w.[\]-]*:)?(\d{2,5})\b/gi,
]

/// Lines kept of the current attempt (since the program last started), for excerpts and a finished script's output.
const MAX_LINES = 400

/// Reads a run's output as it streams in (chunks split anywhere) and reports the signals its complete lines carry.
export class RunOutput {
  private readonly terminal = new TerminalLines()
  private attempt: string[] = []

  push(chunk: string): RunSignal[] {
    const signals: RunSignal[] = []
    for (const line of this.terminal.push(chunk)) {
      const text = line.trim()
      const marker = MARKERS.find(([re]) => re.test(text))
      if (marker) {
        // A restart clears what the last attempt printed; the marker lines themselves are the watcher's, not the program's.
        if (marker[1] === 'restarting') this.attempt = []
        signals.push({ type: marker[1], line: text })
        continue
      }
      this.attempt.push(line)
      if (this.attempt.length > MAX_LINES) this.attempt.splice(0, this.attempt.length - MAX_LINES)
      for (const port of mentionedPorts(text)) signals.push({ type: 'port', port })
    }
    return signals
  }

  /// What the program printed since it last started, the unfinished line included.
  get lines(): readonly string[] {
    const partial = this.terminal.partial
    return partial ? [...this.attempt, partial] : this.attempt
  }
}

/// Ports a line of output names as served, in order, without repeats.
export function mentionedPorts(line: string): number[] {
  const found = new Set<number>()
  for (const re of PORT_PATTERNS) {
    for (const m of line.matchAll(re)) {
      const port = Number(m[1])
      if (port > 0 && port < 65536) found.add(port)
    }
  }
  return [...found]
}
