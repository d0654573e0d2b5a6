import { FILES_MAP } from '@slipway/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MemoryAiConversations } from '../../test/MemoryAiConversations.ts'
import type { AiPort } from '../ai/AiPort.ts'
import type { ProjectEntry } from '../projects/ProjectLibrary.ts'
import { Store } from '../store.ts'
import type { SyncClient } from '../sync/SyncClient.ts'
import { ProjectOpening } from './ProjectOpening.ts'
import type { OpeningPorts, OpeningState, ShareResolution, SharedFile } from './ProjectOpening.ts'

const entry = (origin: 'local' | 'server'): ProjectEntry => ({ id: 'p1', name: 'App', template: null, origin, createdAt: '', updatedAt: '' })

function deferred<T>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/// Ports over in-memory docs that write down what happens, in order.
function fakePorts(over: Partial<OpeningPorts<string>> = {}) {
  const log: string[] = []
  const docs = new Map<string, Y.Doc>()
  const ports: OpeningPorts<string> = {
    findProject: async () => entry('local'),
    acquireDoc: (key) => {
      log.push(`acquire ${key}`)
      let doc = docs.get(key)
      if (!doc) docs.set(key, (doc = new Y.Doc()))
      return { opened: Promise.resolve({ doc, store: `store:${key}` }), release: () => log.push(`release ${key}`) }
    },
    openSync: async () => {
      log.push('sync open')
      const client: SyncClient = {
        status: new Store({ state: 'synced' }) as unknown as SyncClient['status'],
        sync: async () => void log.push('sync'),
        retry: async () => {},
        dispose: () => log.push('sync dispose'),
      }
      return client
    },
    getView: async () => ({ openTabs: [], expanded: [] }),
    touch: async () => {},
    persistOnce: () => {},
    // A runtime that never comes up: these tests are about opening, not running.
    boot: () => new Promise(() => {}),
    resolveShare: async () => ({ ok: false, reason: 'not-found', message: 'no such link' }),
    ...over,
  }
  return { ports, log, docs }
}

const settle = (o: ProjectOpening<string>) =>
  new Promise<OpeningState<string>>((resolve) => {
    const check = () => o.state.get().phase !== 'opening' && resolve(o.state.get())
    o.state.subscribe(check)
    check()
  })

describe('ProjectOpening: a project', () => {
  it('opens a local project and picks the first file to show', async () => {
    const { ports, docs } = fakePorts()
    const doc = new Y.Doc()
    doc.getMap(FILES_MAP).set('server.js', new Y.Text('x'))
    docs.set('p1', doc)
    const o = new ProjectOpening(ports, { kind: 'project', id: 'p1', userId: undefined }, { kind: 'local' })
    const s = await settle(o)
    expect(s.phase).toBe('ready')
    if (s.phase !== 'ready' || s.source !== 'project') throw new Error('not ready')
    expect(s.store).toBe('store:p1')
    expect(s.session.workspace.state.activeTab).toBe('server.js')
    await o.close()
  })

  it('gives each opened project its own editor controller, let go of when the project closes', async () => {
    const { ports } = fakePorts()
    const ready = async (o: ProjectOpening<string>) => {
      const s = await settle(o)
      if (s.phase !== 'ready') throw new Error(`not ready: ${s.phase}`)
      return s.session
    }
    const first = new ProjectOpening(ports, { kind: 'project', id: 'p1', userId: undefined }, { kind: 'local' })
    const session = await ready(first)
    const focused: string[] = []
    session.editor.attach({
      reveal: (r) => void focused.push(`reveal ${r.path}`),
      focus: () => void focused.push('focus'),
      refreshTypes: async () => {},
      selectionText: () => undefined,
      symbols: async () => [],
      goToLine: () => false,
    })
    session.editor.focus()
    await first.close()
    session.editor.focus()
    session.editor.reveal('a.ts', 1)
    expect(focused).toEqual(['focus'])
    const second = new ProjectOpening(ports, { kind: 'project', id: 'p1', userId: undefined }, { kind: 'local' })
    expect((await ready(second)).editor).not.toBe(session.editor)
    await second.close()
  })

  it('fails with "missing" when the library does not know the project', async () => {
    const { ports, log } = fakePorts({ findProject: async () => undefined })
    const o = new ProjectOpening(ports, { kind: 'project', id: 'nope', userId: undefined }, { kind: 'local' })
    expect(await settle(o)).toMatchObject({ phase: 'failed', reason: 'missing' })
    expect(log).toEqual([])
  })

  it('an account project with nothing local waits for the server, and closes newest first with a last sync', async () => {
    const { ports, log } = fakePorts({ findProject: async () => entry('server') })
    const o = new ProjectOpening(ports, { kind: 'project', id: 'p1', userId: 'u1' }, { kind: 'local' })
    const states: string[] = []
    o.state.subscribe(() => states.push(o.state.get().phase === 'opening' ? (o.state.get() as { message: string }).message : o.state.get().phase))
    await settle(o)
    expect(states).toEqual(['Downloading project…', 'ready'])
    await o.close()
    expect(log).toEqual(['acquire p1', 'sync open', 'sync', 'sync', 'sync dispose', 'release p1'])
  })

  it('closing while the doc is still loading stops there and releases it, and never turns ready', async () => {
    const slow = deferred<{ doc: Y.Doc; store: string }>()
    const log: string[] = []
    const { ports } = fakePorts({ acquireDoc: () => ({ opened: slow.promise, release: () => log.push('release') }) })
    const o = new ProjectOpening(ports, { kind: 'project', id: 'p1', userId: undefined }, { kind: 'local' })
    await new Promise((r) => setTimeout(r))
    const closed = o.close()
    expect(o.signal.aborted).toBe(true)
    slow.resolve({ doc: new Y.Doc(), store: 's' })
    await closed
    await new Promise((r) => setTimeout(r))
    expect(log).toEqual(['release'])
    expect(o.state.get().phase).toBe('opening')
  })

  it('a failing step becomes a failed state with its message', async () => {
    const { ports } = fakePorts({ getView: async () => Promise.reject(new Error('disk on fire')) })
    const o = new ProjectOpening(ports, { kind: 'project', id: 'p1', userId: undefined }, { kind: 'local' })
    expect(await settle(o)).toMatchObject({ phase: 'failed', reason: 'error', message: 'disk on fire' })
    await o.close()
  })
})

describe('ProjectOpening: a shared version', () => {
  const files: SharedFile[] = [
    { path: 'server.js', content: 'console.log(1)\n' },
    { path: 'logo.png', content: new Uint8Array([1, 2, 3]) },
  ]
  const share = (fetched: string[]): ShareResolution => ({
    ok: true,
    docKey: 'share-abc@2',
    info: { linkId: 'abc', projectName: 'App', owner: null, version: 2, latest: 2, offline: false },
    files: async () => {
      fetched.push('files')
      return files
    },
  })

  it('fills the stored doc once and runs a copy, so what the runtime writes never reaches the stored version', async () => {
    const fetched: string[] = []
    const { ports, docs } = fakePorts({ resolveShare: async () => share(fetched) })
    const o = new ProjectOpening(ports, { kind: 'share', linkId: 'abc', version: undefined }, { kind: 'local' })
    const s = await settle(o)
    if (s.phase !== 'ready' || s.source !== 'share') throw new Error('not ready')
    expect(s.share.version).toBe(2)
    expect(s.session.workspace.text('server.js')?.toString()).toBe('console.log(1)\n')
    expect(s.session.workspace.state.activeTab).toBe('server.js')
    s.session.workspace.text('server.js')!.insert(0, '// runtime wrote this\n')
    const stored = docs.get('share-abc@2')!.getMap<Y.Text | Uint8Array>(FILES_MAP)
    expect(stored.get('server.js')!.toString()).toBe('console.log(1)\n')
    expect(stored.get('logo.png')).toEqual(new Uint8Array([1, 2, 3]))
    await o.close()
    // A second visit reads the stored copy and downloads nothing.
    const again = new ProjectOpening(ports, { kind: 'share', linkId: 'abc', version: undefined }, { kind: 'local' })
    expect((await settle(again)).phase).toBe('ready')
    expect(fetched).toEqual(['files'])
    await again.close()
  })

  it.each([
    ['revoked', 'This link was revoked'],
    ['not-found', 'This link does not exist'],
    ['offline', 'Not on this device'],
  ] as const)('a link that is %s fails with that reason and opens no doc', async (reason, message) => {
    const { ports, log } = fakePorts({ resolveShare: async () => ({ ok: false, reason, message }) })
    const o = new ProjectOpening(ports, { kind: 'share', linkId: 'abc', version: 3 }, { kind: 'local' })
    expect(await settle(o)).toEqual({ phase: 'failed', reason, message })
    expect(log).toEqual([])
  })

  it('closing during the download aborts it', async () => {
    let seen: AbortSignal | undefined
    const { ports } = fakePorts({
      resolveShare: async () => ({
        ...(share([]) as Extract<ShareResolution, { ok: true }>),
        files: (signal) => {
          seen = signal
          return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
        },
      }),
    })
    const o = new ProjectOpening(ports, { kind: 'share', linkId: 'abc', version: undefined }, { kind: 'local' })
    await new Promise((r) => setTimeout(r))
    await o.close()
    expect(seen?.aborted).toBe(true)
    expect(o.state.get().phase).toBe('opening')
  })
})

describe('ProjectOpening: the assistant', () => {
  const aiPorts = () => {
    const conversations = new MemoryAiConversations()
    const asked: string[] = []
    const port: AiPort = {
      status: async () => {
        asked.push('status')
        return { ok: true, status: { enabled: true, models: [] } }
      },
      messages: async function* () {},
    }
    return { port, conversations, online: () => true, asked }
  }

  it('a project of one’s own gets one over the given ports, reading what this browser kept for it', async () => {
    const ai = aiPorts()
    await ai.conversations.putProjectState('p1', { allowedCommands: ['npm test'], applyAtOnce: true, staged: [] })
    const { ports } = fakePorts({ ai })
    const o = new ProjectOpening(ports, { kind: 'project', id: 'p1', userId: undefined }, { kind: 'local' })
    const s = await settle(o)
    if (s.phase !== 'ready') throw new Error('not ready')
    await s.session.ai!.ready
    expect(s.session.ai!.state).toMatchObject({ loaded: true, allowedCommands: ['npm test'], applyAtOnce: true, status: { phase: 'loading' } })
    // Opening a project asks the server nothing; the panel asks when it opens.
    expect(ai.asked).toEqual([])
    await s.session.ai!.refreshStatus()
    expect(s.session.ai!.state.status).toEqual({ phase: 'ready', enabled: true, models: [] })
    await o.close()
  })

  it('a shared version gets none', async () => {
    const { ports } = fakePorts({
      ai: aiPorts(),
      resolveShare: async () => ({
        ok: true,
        docKey: 'share-x@1',
        info: { linkId: 'x', projectName: 'App', owner: null, version: 1, latest: 1, offline: false },
        files: async () => [{ path: 'a.js', content: '1' }],
      }),
    })
    const o = new ProjectOpening(ports, { kind: 'share', linkId: 'x', version: undefined }, { kind: 'local' })
    const s = await settle(o)
    if (s.phase !== 'ready') throw new Error('not ready')
    expect(s.session.ai).toBeUndefined()
    await o.close()
  })
})
