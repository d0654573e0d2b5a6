import { existsSync } from 'node:fs'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FILES_MAP, FOLDERS_MAP } from '@slipway/shared'
import { expect, test } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import type { Runtime } from '../../core/runtime/index.ts'
import { RuntimeBridge } from '../../core/workspace/runtimeBridge.ts'
import { Workspace } from '../../core/workspace/Workspace.ts'
import { agentForSuite } from '../../test/localAgent.ts'
import { LocalRuntime } from './LocalRuntime.ts'

// Issue 16 item 5: the file tree and the disk agree, through the real agent. Folders are part of the project:
// empty ones persist (the doc's folders map), and deleting a folder leaves nothing of it on disk.

const agent = agentForSuite()
let projects = 0

async function open(project: string, doc: Y.Doc): Promise<{ runtime: Runtime; root: string; bridge: RuntimeBridge; close(): Promise<void> }> {
  const result = await LocalRuntime.connect({ url: agent().url, project, WebSocket })
  if (!result.ok) throw new Error(`connect failed: ${result.failure.message}`)
  const runtime = result.runtime
  const pwd = await runtime.spawn('pwd', [])
  let root = ''
  const reader = pwd.output.getReader()
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    root += value
  }
  await pwd.exit
  const bridge = new RuntimeBridge(doc, runtime)
  await bridge.start()
  return {
    runtime,
    root: root.trim(),
    bridge,
    async close() {
      await bridge.settled()
      bridge.dispose()
      await runtime.teardown()
    },
  }
}

const until = async (check: () => boolean | Promise<boolean>, what = 'the condition', ms = 5000) => {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

test('deleting a folder in the tree removes it from disk, nested non-ASCII folders included', async () => {
  const doc = new Y.Doc()
  const files = doc.getMap<Y.Text>(FILES_MAP)
  files.set('dossier/日本語/a.txt', new Y.Text('a'))
  files.set('dossier/b.txt', new Y.Text('b'))
  files.set('keep.txt', new Y.Text('k'))
  const s = await open(`folders-${++projects}`, doc)
  try {
    await s.bridge.settled()
    expect(existsSync(join(s.root, 'dossier/日本語/a.txt'))).toBe(true)
    const ws = new Workspace(doc)
    expect(ws.dispatch({ type: 'delete', path: 'dossier' })).toEqual({ ok: true })
    await s.bridge.settled()
    await until(() => !existsSync(join(s.root, 'dossier')))
    expect((await readdir(s.root)).sort()).toEqual(['keep.txt'])
  } finally {
    await s.close()
  }
}, 30_000)

test('an empty folder made in the tree exists on disk and is still there, in the tree and on disk, after a reload', async () => {
  const project = `folders-${++projects}`
  const doc = new Y.Doc()
  doc.getMap<Y.Text>(FILES_MAP).set('index.js', new Y.Text('1'))
  const first = await open(project, doc)
  const ws = new Workspace(doc)
  ws.dispatch({ type: 'create-folder', path: 'assets/icons' })
  await first.bridge.settled()
  await until(() => existsSync(join(first.root, 'assets/icons')))
  await first.close()
  // A reload: the stored doc, a new connection, a new bridge (which sweeps what the doc lacks).
  const stored = new Y.Doc()
  Y.applyUpdate(stored, Y.encodeStateAsUpdate(doc))
  const second = await open(project, stored)
  try {
    await second.bridge.settled()
    expect(new Workspace(stored).state.extraFolders).toEqual(['assets/icons'])
    expect(existsSync(join(second.root, 'assets/icons'))).toBe(true)
  } finally {
    await second.close()
  }
}, 30_000)

test('a folder made or removed on disk by a program follows into the doc', async () => {
  const doc = new Y.Doc()
  doc.getMap<Y.Text>(FILES_MAP).set('index.js', new Y.Text('1'))
  const s = await open(`folders-${++projects}`, doc)
  const folders = doc.getMap<true>(FOLDERS_MAP)
  // The agent's watch is up once its first scan is done: the bridge does not wait for that.
  await new Promise((r) => setTimeout(r, 500))
  try {
    await mkdir(join(s.root, 'out/empty'), { recursive: true })
    await until(() => folders.has('out/empty'), 'the new folder')
    await writeFile(join(s.root, 'out/empty/x.txt'), 'x')
    await until(() => doc.getMap(FILES_MAP).has('out/empty/x.txt'), 'the new file')
    await rm(join(s.root, 'out'), { recursive: true })
    await until(() => !folders.has('out/empty') && !doc.getMap(FILES_MAP).has('out/empty/x.txt'), `removal (folders: ${[...folders.keys()]}, files: ${[...doc.getMap(FILES_MAP).keys()]})`)
  } finally {
    await s.close()
  }
}, 30_000)
