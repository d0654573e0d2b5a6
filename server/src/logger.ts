/// Structured log lines (JSON) on stderr. Tests pass their own.
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export function createJsonLogger(write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const emit = (level: string, message: string, fields: Record<string, unknown> = {}) => {
    const out: Record<string, unknown> = { time: new Date().toISOString(), level, message }
    for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v
    write(JSON.stringify(out))
  }
  return { info: (m, f) => emit('info', m, f), error: (m, f) => emit('error', m, f) }
}

export const silentLogger: Logger = { info: () => {}, error: () => {} }
