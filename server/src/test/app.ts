import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import type { Coep } from '@slipway/shared'
import type { Database } from '../adapters/db/index.ts'
import { createApp } from '../app.ts'
import type { Logger } from '../logger.ts'

export const FIXTURE_SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))})\n`

/// A tiny built SPA like Vite's output: index.html with the COEP meta tag, hashed assets with precompressed twins.
export async function makeWebDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'slipway-web-'))
  await mkdir(path.join(dir, 'assets'))
  await writeFile(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><meta name="slipway:coep" content="require-corp"><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>',
  )
  await writeFile(path.join(dir, 'assets/index-AbC123.js'), FIXTURE_SCRIPT)
  await writeFile(path.join(dir, 'assets/index-AbC123.js.br'), brotliCompressSync(FIXTURE_SCRIPT))
  await writeFile(path.join(dir, 'assets/index-AbC123.js.gz'), gzipSync(FIXTURE_SCRIPT))
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  return dir
}

export interface TestAppOptions {
  database: Database
  webDir?: string
  publicUrl?: string
  coep?: Coep
  logger?: Logger
}

export function testApp(o: TestAppOptions) {
  return createApp({
    config: {
      coep: o.coep ?? 'require-corp',
      publicUrl: new URL(o.publicUrl ?? 'http://localhost'),
      webDir: o.webDir ?? '/nonexistent',
      runtimeOrigins: [],
    },
    database: o.database,
    logger: o.logger ?? { info: () => {}, error: () => {} },
    version: '9.9.9-test',
  })
}
