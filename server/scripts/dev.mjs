// `pnpm dev`: the API server (tsx watch, restarts on change) and Vite (HMR, proxies /api) in one terminal.
import { spawn } from 'node:child_process'
import { ensureInstalled, pnpmCommand, root } from './bootstrap.mjs'

await ensureInstalled()
const [cmd, ...pre] = pnpmCommand()
const port = process.env.PORT ?? '3000'
const children = [
  ['api', [...pre, '--filter', '@slipway/server', 'dev'], { PORT: port, PUBLIC_URL: process.env.PUBLIC_URL ?? 'http://localhost:5173' }],
  ['web', [...pre, 'exec', 'vite'], { PORT: port }],
].map(([name, args, env]) => {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['inherit', 'pipe', 'pipe'] })
  const prefix = (stream, out) => {
    let rest = ''
    stream.on('data', (d) => {
      const lines = (rest + d.toString()).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) out.write(`[${name}] ${line}\n`)
    })
  }
  prefix(child.stdout, process.stdout)
  prefix(child.stderr, process.stderr)
  child.on('exit', (code) => {
    process.stderr.write(`[${name}] exited with ${code}\n`)
    stopAll(code ?? 1)
  })
  return child
})

let stopping = false
function stopAll(code) {
  if (stopping) return
  stopping = true
  for (const c of children) c.kill('SIGTERM')
  setTimeout(() => process.exit(code), 500)
}
process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))
