// Writes .br and .gz twins of every compressible file in web/dist, so the server sends compressed bytes
// without compressing on each request.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const dir = path.resolve(process.argv[2] ?? 'web/dist')
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|webmanifest|wasm|ttf|txt|map)$/
const br = promisify(brotliCompress)
const gz = promisify(gzip)

let raw = 0
let packed = 0
for (const rel of (await readdir(dir, { recursive: true })).map(String)) {
  if (!COMPRESSIBLE.test(rel)) continue
  const file = path.join(dir, rel)
  const bytes = await readFile(file)
  if (bytes.length < 1024) continue
  const [b, g] = await Promise.all([
    br(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
    gz(bytes, { level: 9 }),
  ])
  await Promise.all([writeFile(file + '.br', b), writeFile(file + '.gz', g)])
  if (!rel.endsWith('.map')) {
    raw += bytes.length
    packed += b.length
  }
}
process.stdout.write(`precompressed ${dir}: ${(raw / 1024).toFixed(0)} KiB → ${(packed / 1024).toFixed(0)} KiB brotli\n`)
