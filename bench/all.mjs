// `pnpm bench`: every benchmark once, one after another, with its default options (`node all.mjs share share-open`:
// only those, as `pnpm bench:share` does). A bench that fails or misses a budget does not stop the ones after it; the
// table at the end says how each ended and how long it took. Exit code 1 when any of them exited non-zero.
//
// Options belong to one bench, so this takes none: `pnpm --filter @slipway/bench run <name> --<option> …`.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))

/// [name, script] in the order they run: the quick server-side ones first.
const BENCHES = [
  ['sync', 'sync/index.mjs'],
  ['runtime', 'runtime.mjs'],
  ['bundle', 'bundle.mjs'],
  ['editor', 'time-to-editor.mjs'],
  ['offline', 'offline.mjs'],
  ['share', 'share.mjs'],
  ['share-open', 'share-open.mjs'],
  ['ai', 'ai.mjs'],
]

const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !BENCHES.some(([n]) => n === name))
if (unknown.length) {
  process.stderr.write(
    `bench: ${unknown.join(' ')}: not a bench name (${BENCHES.map(([n]) => n).join(', ')}). Options belong to one bench: ` +
      `pnpm --filter @slipway/bench run <name> --<option> …\n`,
  )
  process.exit(2)
}

const run = (script) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: here, stdio: 'inherit' })
    child.once('exit', (code, signal) => resolve(signal ?? code))
  })

const ended = []
for (const [name, script] of BENCHES.filter(([n]) => !wanted.length || wanted.includes(n))) {
  process.stdout.write(`\n=== bench:${name} (${script}) ===\n`)
  const t0 = Date.now()
  const exit = await run(script)
  ended.push({ name, exit, seconds: Math.round((Date.now() - t0) / 1000) })
  if (exit === 'SIGINT') break
}
process.stdout.write('\nbench    exit  seconds\n')
for (const e of ended) process.stdout.write(`${e.name.padEnd(10)} ${String(e.exit).padStart(6)} ${String(e.seconds).padStart(8)}\n`)
process.exitCode = ended.some((e) => e.exit !== 0) ? 1 : 0
