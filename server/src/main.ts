import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import type { Database } from './adapters/db/index.ts'
import { openDatabase } from './adapters/db/index.ts'
import { createApp } from './app.ts'
import { startDebugStats } from './debug-stats.ts'
import { ConfigError, loadConfig, redactUrl } from './config.ts'
import { listeningUrl } from './listeningUrl.ts'
import { createJsonLogger } from './logger.ts'

// main.ts lives in server/src (dev, tsx) or server/dist (built); both are one level below the package root.
const packageRoot = fileURLToPath(new URL('..', import.meta.url))
const version = (JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version: string }).version

/// Prints one line and exits 1: for problems a person fixes in the environment, not bugs.
function fail(message: string): never {
  process.stderr.write(`slipway: ${message}\n`)
  process.exit(1)
}

/// A port that is free on `host` right now.
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

async function main() {
  const logger = createJsonLogger()
  let config
  try {
    config = loadConfig(process.env, { webDir: `${packageRoot}/../web/dist` })
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }
  // PORT=0 picks a free port: pick it now, so that the default PUBLIC_URL (http://localhost:$PORT), the only Host and
  // Origin the app answers, names it.
  if (config.port === 0) config = loadConfig({ ...process.env, PORT: String(await freePort(config.host)) }, { webDir: `${packageRoot}/../web/dist` })

  let database: Database
  try {
    database = await openDatabase(
      config.databaseUrl ? { driver: 'postgres', url: config.databaseUrl } : { driver: 'pglite', dataDir: config.dataDir },
      `${packageRoot}/drizzle`,
    )
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    fail(
      config.databaseUrl
        ? `cannot use the database at DATABASE_URL=${redactUrl(config.databaseUrl)}: ${reason}`
        : `cannot open the embedded database in SLIPWAY_DATA_DIR=${config.dataDir}: ${reason}`,
    )
  }

  const app = await createApp({ config, database, logger, version })
  const ai = config.ai
  logger.info(
    'ai assistant',
    ai.apiKey
      ? { enabled: true, models: ai.models, maxTokens: ai.maxTokens, dailyTokens: ai.dailyTokens, upstream: ai.baseUrl ? new URL(ai.baseUrl).origin : 'https://api.anthropic.com' }
      : { enabled: false, reason: 'ANTHROPIC_API_KEY is not set' },
  )
  if (config.debugStatsFile) startDebugStats(config.debugStatsFile)
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    process.stdout.write(`Slipway ${version} ready on ${listeningUrl(info.address, info.port)} (database: ${database.driver})\n`)
  })
  server.on('error', (err: NodeJS.ErrnoException) => {
    fail(err.code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is already in use (set PORT)` : err.message)
  })

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info('shutting down', { signal })
    // Stop accepting, let in-flight requests finish, then close the database.
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting')
      process.exit(1)
    }, 15_000)
    force.unref()
    server.close(async () => {
      try {
        await database.close()
      } finally {
        process.exit(0)
      }
    })
    // Keep-alive connections that go idle after their last response would hold close() open until they time out.
    if ('closeIdleConnections' in server) setInterval(() => server.closeIdleConnections(), 100).unref()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

main().catch((err: unknown) => {
  process.stderr.write(`slipway: failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
