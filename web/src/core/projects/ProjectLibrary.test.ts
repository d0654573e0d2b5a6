import { expect, test } from 'vitest'
import type { Project } from '@slipway/shared'
import { ProjectLibrary } from './ProjectLibrary.ts'
import type { LocalProjects, ProjectEntry, ServerProjects } from './ProjectLibrary.ts'

const project = (id: string, template: Project['template']): Project => ({ id, name: id, template, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', forkedFrom: null })

function memoryLocal(): LocalProjects {
  const rows = new Map<string, ProjectEntry>()
  return {
    listProjects: async () => [...rows.values()],
    getProject: async (id) => rows.get(id),
    putProject: async (p) => void rows.set(p.id, p),
    deleteProject: async (id) => void rows.delete(id),
    openDoc: async () => ({ destroy: () => {} }),
    getSyncMeta: async () => undefined,
  }
}

function server(projects: Project[], files: Record<string, number | 'fails'>) {
  const asked: string[] = []
  const api: ServerProjects = {
    listProjects: async () => ({ ok: true, value: projects }),
    getProject: async () => ({ ok: false, kind: 'http', message: 'unused' }),
    createProject: async () => ({ ok: false, kind: 'http', message: 'unused' }),
    renameProject: async () => ({ ok: false, kind: 'http', message: 'unused' }),
    deleteProject: async () => ({ ok: false, kind: 'http', message: 'unused' }),
    push: async () => ({ ok: false, kind: 'http', message: 'unused' }),
    listFiles: async (id) => {
      asked.push(id)
      const n = files[id]
      return n === 'fails' || n === undefined ? { ok: false, kind: 'network', message: 'offline' } : { ok: true, value: Array.from({ length: n }, (_, i) => ({ path: `f${i}` })) }
    },
  }
  return { api, asked }
}

const settled = (library: ProjectLibrary, ids: number) =>
  new Promise<void>((resolve) => {
    const check = () => Object.keys(library.store.get().fileCounts).length >= ids && resolve()
    library.store.subscribe(check)
    check()
  })

test('account projects without a template get the server’s file count; template ones are not asked', async () => {
  const { api, asked } = server([project('tpl', 'node-script'), project('up', null), project('none', null), project('down', null)], { up: 3, none: 0, down: 'fails' })
  const library = new ProjectLibrary(memoryLocal(), api)
  await library.refresh('u1')
  await settled(library, 2)
  await new Promise((r) => setTimeout(r, 0))
  expect(library.store.get().fileCounts).toEqual({ up: 3, none: 0 })
  expect(asked.sort()).toEqual(['down', 'none', 'up'])
})

test('signed out: nothing is asked', async () => {
  const { api, asked } = server([project('up', null)], { up: 3 })
  const library = new ProjectLibrary(memoryLocal(), api)
  await library.refresh(undefined)
  expect(library.store.get().fileCounts).toEqual({})
  expect(asked).toEqual([])
})

test('an anonymous fork is a local project holding a copy of the version, recording where it came from', async () => {
  const Y = await import('yjs')
  const docs = new Map<string, InstanceType<typeof Y.Doc>>()
  const local = { ...memoryLocal(), openDoc: async (id: string, doc: InstanceType<typeof Y.Doc>) => (docs.set(id, doc), { destroy: () => {} }) }
  const library = new ProjectLibrary(local, server([], {}).api)
  const version = new Y.Doc()
  version.getMap('files').set('server.js', new Y.Text('hello'))
  const entry = await library.createLocalCopy('Demo', Y.encodeStateAsUpdate(version), { linkId: 'AbCdEfGhIjKlMnOpQrSt-_', version: 2 })
  expect(entry).toMatchObject({ name: 'Demo', origin: 'local', template: null, forkedFrom: { linkId: 'AbCdEfGhIjKlMnOpQrSt-_', version: 2, projectName: 'Demo' } })
  expect(await local.getProject(entry.id)).toEqual(entry)
  expect(String(docs.get(entry.id)!.getMap('files').get('server.js'))).toBe('hello')
  expect(library.store.get().projects[0]).toEqual(entry)
})

test('uploading an anonymous fork at sign-in sends where it came from; the entry keeps what the server vouched for', async () => {
  const local = memoryLocal()
  const asked: unknown[] = []
  const api: ServerProjects = {
    ...server([], {}).api,
    createProject: async (name, template, forkedFrom) => {
      asked.push({ name, template, forkedFrom })
      return { ok: true, value: { ...project('srv-1', null), name, forkedFrom: forkedFrom ? { ...forkedFrom, projectName: 'Todo app' } : null } }
    },
    push: async () => ({ ok: true, value: { stateVector: new Uint8Array() } }),
  }
  const moves: string[][] = []
  const library = new ProjectLibrary(local, api, { deleteProject: async () => {}, moveProject: async (from, to) => void moves.push([from, to]) })
  const fork: ProjectEntry = { ...project('loc-1', null), name: 'My todo', origin: 'local', forkedFrom: { linkId: 'AbCdEfGhIjKlMnOpQrSt-_', version: 3, projectName: 'My todo' } }
  await local.putProject(fork)
  const moved = await library.upload(fork, 'u1')
  // Only the link and version are claimed: the server takes the name from the link.
  expect(asked).toEqual([{ name: 'My todo', template: undefined, forkedFrom: { linkId: 'AbCdEfGhIjKlMnOpQrSt-_', version: 3 } }])
  expect(moved).toMatchObject({ ok: true, value: { id: 'srv-1', origin: 'server', forkedFrom: { linkId: 'AbCdEfGhIjKlMnOpQrSt-_', version: 3, projectName: 'Todo app' } } })
  // The assistant's conversations of the local project go with it to its new id.
  expect(moves).toEqual([['loc-1', 'srv-1']])
})

test('deleting a project forgets what else this device keeps for it (the assistant’s conversations), and only for it', async () => {
  const local = memoryLocal()
  const forgotten: string[] = []
  const api: ServerProjects = { ...server([], {}).api, deleteProject: async () => ({ ok: true, value: undefined }) }
  const library = new ProjectLibrary(local, api, { deleteProject: async (id) => void forgotten.push(id), moveProject: async () => {} })
  const mine: ProjectEntry = { ...project('srv-1', null), origin: 'server', ownerId: 'u1' }
  const other: ProjectEntry = { ...project('loc-1', null), origin: 'local' }
  await local.putProject(mine)
  await local.putProject(other)
  expect(await library.remove(mine)).toEqual({ ok: true, value: undefined })
  expect(forgotten).toEqual(['srv-1'])
  expect(await local.getProject('loc-1')).toEqual(other)
  // A server refusal deletes nothing here.
  const refusing = new ProjectLibrary(local, server([], {}).api, { deleteProject: async (id) => void forgotten.push(id), moveProject: async () => {} })
  expect(await refusing.remove({ ...project('srv-2', null), origin: 'server', ownerId: 'u1' })).toMatchObject({ ok: false })
  expect(forgotten).toEqual(['srv-1'])
})
