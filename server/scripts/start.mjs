// `npm start` / `pnpm start`: installs what is missing, builds when sources changed, then runs the production
// server on the embedded database (or DATABASE_URL when set). Signals pass through to the server.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { ensureBuilt, ensureInstalled, root } from './bootstrap.mjs'

await ensureInstalled()
await ensureBuilt()

const server = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'server/dist/main.js')], {
  stdio: 'inherit',
  cwd: root,
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
