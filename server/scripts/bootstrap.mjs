// Shared by `npm start` and `npm test` on a fresh machine: only Node built-ins here, because nothing is installed
// yet when these run.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../..', import.meta.url))

/// The pnpm to use: one on PATH, else pnpm 10 through npx (Corepack's download fails its signature check on
/// some machines, so it is not used).
export function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' })
  if (probe.status === 0 && /^10\./.test(probe.stdout.trim())) return ['pnpm']
  return ['npx', '-y', 'pnpm@10']
}

/// Runs a command with inherited stdio; resolves with its exit code.
export function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', cwd: root, shell: process.platform === 'win32', ...options })
    child.on('error', reject)
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

export async function pnpm(args, options) {
  const [cmd, ...pre] = pnpmCommand()
  return run(cmd, [...pre, ...args], options)
}

export async function mustPnpm(args, options) {
  const code = await pnpm(args, options)
  if (code !== 0) {
    process.stderr.write(`slipway: "pnpm ${args.join(' ')}" failed (exit ${code})\n`)
    process.exit(code)
  }
}

/// Installs dependencies when node_modules is missing or older than the lockfile.
export async function ensureInstalled() {
  const marker = path.join(root, 'node_modules/.modules.yaml')
  const lock = path.join(root, 'pnpm-lock.yaml')
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return
  process.stdout.write('Installing dependencies…\n')
  await mustPnpm(['install', '--frozen-lockfile'])
}

/// Newest modification time of any file under the given paths (skipping node_modules and build output).
export function newestMtime(paths) {
  let newest = 0
  const walk = (p) => {
    let info
    try {
      info = statSync(p)
    } catch {
      return
    }
    if (info.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules' && name !== 'dist') walk(path.join(p, name))
    } else newest = Math.max(newest, info.mtimeMs)
  }
  for (const p of paths) walk(path.join(root, p))
  return newest
}

/// Builds the SPA and the server bundle unless both are newer than every source they come from.
export async function ensureBuilt({ force = false } = {}) {
  const outputs = ['web/dist/index.html', 'server/dist/main.js', 'server/dist/compactor.worker.js'].map((p) => path.join(root, p))
  const built = outputs.every((p) => existsSync(p)) ? Math.min(...outputs.map((p) => statSync(p).mtimeMs)) : 0
  const sources = newestMtime(['web', 'shared', 'server/src', 'server/scripts', 'vite.config.ts', 'pnpm-lock.yaml'])
  if (!force && built > sources) return
  process.stdout.write('Building…\n')
  await mustPnpm(['build'])
}
