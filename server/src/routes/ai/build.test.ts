import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, expect, test } from 'vitest'

// The Anthropic key lives in the server's environment only. Build the web app and the server bundle the way
// `pnpm build` does, with a key in the environment, and look for it in every file written (source maps included).
const root = fileURLToPath(new URL('../../../../', import.meta.url))
const KEY = ['sk-ant-', 'api03-', 'BuildTimeCanary', Date.now().toString(36)].join('')
let out: string | undefined
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true })
})

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* files(p)
    else yield p
  }
}

async function holding(dir: string, needle: string) {
  const found: string[] = []
  let count = 0
  for await (const file of files(dir)) {
    count++
    if ((await readFile(file)).includes(needle)) found.push(path.relative(dir, file))
  }
  return { found, count }
}

test('a build made with ANTHROPIC_API_KEY in its environment holds no trace of it (web/dist, service worker, server bundle)', { timeout: 240_000 }, async () => {
  out = await mkdtemp(path.join(tmpdir(), 'slipway-key-build-'))
  const web = path.join(out, 'web')
  const env = { ...process.env, ANTHROPIC_API_KEY: KEY, VITE_ANTHROPIC_API_KEY: undefined }
  const vite = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', web, '--emptyOutDir', '--logLevel', 'error'], { cwd: root, env, encoding: 'utf8' })
  expect(vite.status, vite.stderr).toBe(0)
  const sw = spawnSync(process.execPath, [path.join(root, 'web/scripts/build-sw.mjs'), web], { cwd: root, env, encoding: 'utf8' })
  expect(sw.status, sw.stderr).toBe(0)
  process.env.ANTHROPIC_API_KEY = KEY
  try {
    await build({
      entryPoints: [path.join(root, 'server/src/main.ts')],
      outfile: path.join(out, 'server/main.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      sourcemap: true,
      logLevel: 'silent',
      plugins: [{ name: 'external-npm', setup: (b) => b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@slipway/') ? undefined : { path: a.path, external: true })) }],
    })
  } finally {
    delete process.env.ANTHROPIC_API_KEY
  }
  // The search finds what is there: the bundles hold the variable's name, and the app shell and worker exist.
  expect(existsSync(path.join(web, 'index.html')) && existsSync(path.join(web, 'sw.js'))).toBe(true)
  expect((await holding(path.join(out, 'server'), 'ANTHROPIC_API_KEY')).found).toContain('main.js')
  const webFiles = await holding(web, KEY)
  expect(webFiles.count).toBeGreaterThan(20)
  expect(webFiles.found).toEqual([])
  expect((await holding(path.join(out, 'server'), KEY)).found).toEqual([])
  // The dist the server serves, when there is one, too.
  if (existsSync(path.join(root, 'web/dist'))) expect((await holding(path.join(root, 'web/dist'), KEY)).found).toEqual([])
})
