// Builds the benchmark project of `bench/offline.mjs` as a Yjs doc (the app's layout: `doc.getMap('files')` maps a
// path to a `Y.Text`), deterministically (seeded PRNG): ~1,000 files / ~10 MB in folders, `index.js` at the root,
// then a history of edits (inserts, deletions, replacements) made over many "sessions" (a page load is a new Yjs
// client id in the app, so a long-lived project has many). Returns the final state and the history as upload chunks.
import { FILES_MAP } from '@slipway/shared'
import * as Y from 'yjs'
import { linesOf, mulberry32 } from '../lib.mjs'

export const INDEX_FIRST_LINE = '// slipway offline bench: index.js'

const WORDS = 'value result items index count buffer options config handler request response state next prev node list map key entry payload token stream chunk reader writer parse format render update cache store queue timer retry limit offset length'.split(' ')

function codeLine(rand) {
  const w = () => WORDS[Math.floor(rand() * WORDS.length)]
  const indent = '  '.repeat(Math.floor(rand() * 3))
  switch (Math.floor(rand() * 6)) {
    case 0:
      return `${indent}const ${w()}${Math.floor(rand() * 100)} = ${w()}.${w()}(${w()}, ${Math.floor(rand() * 1000)})`
    case 1:
      return `${indent}if (${w()} && ${w()}.${w()} > ${Math.floor(rand() * 64)}) return ${w()}`
    case 2:
      return `${indent}// ${w()} ${w()} ${w()}: keep the ${w()} in step with the ${w()}`
    case 3:
      return `${indent}for (const ${w()} of ${w()}) ${w()}.push(${w()}.${w()})`
    case 4:
      return `${indent}export function ${w()}${Math.floor(rand() * 100)}(${w()}, ${w()}) {`
    default:
      return `${indent}}`
  }
}

const fileText = (rand, bytes) => linesOf(bytes, () => codeLine(rand))

/// opts: files (total incl. index.js etc.), totalBytes, sessions, edits, seed, chunkBytes (upload chunk target)
export function generateProject(opts = {}) {
  const { files = 1000, totalBytes = 10 * 1024 * 1024, sessions = 30, edits = 3000, seed = 6, chunkBytes = 2 * 1024 * 1024 } = opts
  const rand = mulberry32(seed)
  const doc = new Y.Doc()
  doc.clientID = 1000
  const map = doc.getMap(FILES_MAP)
  const history = []
  doc.on('update', (u) => history.push(u))

  const paths = ['index.js', 'package.json', 'README.md']
  const areas = ['api', 'core', 'db', 'ui', 'util', 'jobs', 'auth', 'sync', 'cli', 'lib']
  for (let i = 0; paths.length < files; i++) {
    const area = areas[i % areas.length]
    const sub = `m${Math.floor(i / areas.length) % 5}`
    paths.push(`src/${area}/${sub}/${WORDS[i % WORDS.length]}-${i}.js`)
  }
  const avg = totalBytes / files
  const sizes = paths.map(() => avg * (0.25 + rand() * 1.5))
  const scale = totalBytes / sizes.reduce((a, b) => a + b, 0)
  let bytes = 0
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i]
    let text
    if (p === 'index.js') text = `${INDEX_FIRST_LINE}\n` + fileText(rand, 3000)
    else if (p === 'package.json') text = JSON.stringify({ name: 'offline-bench', version: '1.0.0', type: 'module', main: 'index.js' }, null, 2) + '\n'
    else if (p === 'README.md') text = '# offline bench\n\nA generated project: 1,000 files, 10 MB.\n'
    else text = fileText(rand, Math.round(sizes[i] * scale))
    bytes += Buffer.byteLength(text)
    doc.transact(() => map.set(p, new Y.Text(text)))
  }
  const created = history.length

  // History: `edits` edits in `sessions - 1` later sessions, a few hot files edited most.
  const hot = paths.filter((p) => p !== 'package.json').slice(0, 60)
  let deletes = 0
  for (let e = 0; e < edits; e++) {
    const session = 1 + Math.floor((e / edits) * (sessions - 1))
    doc.clientID = 1000 + session
    const p = rand() < 0.7 ? hot[Math.floor(rand() * hot.length)] : paths[3 + Math.floor(rand() * (paths.length - 3))]
    const text = map.get(p)
    const r = rand()
    const pos = 1 + Math.floor(rand() * Math.max(1, text.length - 50))
    doc.transact(() => {
      if (r < 0.55) text.insert(pos, codeLine(rand) + '\n')
      else if (r < 0.85) {
        text.delete(pos, 1 + Math.floor(rand() * 40))
        deletes++
      } else {
        text.delete(pos, 1 + Math.floor(rand() * 20))
        text.insert(pos, codeLine(rand))
        deletes++
      }
    })
  }
  bytes = 0
  for (const [, t] of map) bytes += Buffer.byteLength(t.toString())

  // Upload chunks: consecutive updates merged up to ~chunkBytes (the server takes at most 10 MB per update).
  const chunks = []
  let cur = []
  let curBytes = 0
  for (const u of history) {
    if (curBytes + u.byteLength > chunkBytes && cur.length) {
      chunks.push(Y.mergeUpdates(cur))
      cur = []
      curBytes = 0
    }
    cur.push(u)
    curBytes += u.byteLength
  }
  if (cur.length) chunks.push(Y.mergeUpdates(cur))

  const full = Y.encodeStateAsUpdate(doc)
  const info = {
    files: map.size,
    textBytes: bytes,
    stateUpdateBytes: full.byteLength,
    stateVectorBytes: Y.encodeStateVector(doc).byteLength,
    // encodeStateAsUpdate against the doc's own state vector: no structs, only the delete set
    deleteSetOnlyBytes: Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)).byteLength,
    clients: sessions,
    createUpdates: created,
    edits,
    editsWithDeletion: deletes,
    uploadChunks: chunks.length,
    indexJsFirstLine: INDEX_FIRST_LINE,
  }
  doc.destroy()
  return { full, chunks, info }
}
