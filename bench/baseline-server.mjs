// The baseline of the load benches: a bare Hono app on @hono/node-server (the same version ranges as server/'s, so
// the same versions the production server runs) answering `GET /` with a tiny JSON. Run as its own process so it gets
// a core the way the real server does (lib.mjs `startBaselineServer`).
// Env: PORT (required), HOST (default 127.0.0.1). Prints `ready <port>` on stdout once listening.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono().get('/', (c) => c.json({ ok: true }))
const options = { fetch: app.fetch, port: Number(process.env.PORT), hostname: process.env.HOST ?? '127.0.0.1' }
const server = serve(options, (info) => process.stdout.write(`ready ${info.port}\n`))
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0))
    if ('closeAllConnections' in server) server.closeAllConnections()
  })
}
