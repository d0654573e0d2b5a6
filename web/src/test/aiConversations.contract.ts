import { describe, expect, test } from 'vitest'
import type { AiConversationStore, Conversation } from '../core/ai/conversation.ts'

export type StoreUnderTest = AiConversationStore & { deleteProject(projectId: string): Promise<void>; moveProject(from: string, to: string): Promise<void> }

const conversation = (id: string, updatedAt: string, text = 'hi', projectId = 'p1'): Conversation => ({
  id,
  projectId,
  title: id,
  createdAt: updatedAt,
  updatedAt,
  messages: [{ kind: 'prompt', id: `m-${id}`, turnId: `t-${id}`, createdAt: updatedAt, text, context: [] }],
  checkpoints: [],
})

const day = (d: number) => `2026-01-${String(d).padStart(2, '0')}T00:00:00.000Z`

/// What the assistant relies on from every `AiConversationStore`; `make` gives an empty store with the given bounds.
export function aiConversationsContract(name: string, make: (limits: { conversationsPerProject: number; bytesPerProject: number }) => StoreUnderTest): void {
  describe(`AiConversationStore contract: ${name}`, () => {
    test('conversations are kept per project and listed newest first', async () => {
      const store = make({ conversationsPerProject: 3, bytesPerProject: 1_000_000 })
      await store.put(conversation('a', day(1)))
      await store.put(conversation('b', day(3)))
      await store.put(conversation('other', day(2), 'x', 'p2'))
      expect((await store.list('p1')).map((s) => [s.id, s.messages])).toEqual([
        ['b', 1],
        ['a', 1],
      ])
      expect((await store.get('p1', 'a'))?.messages[0]).toMatchObject({ text: 'hi' })
      expect(await store.get('p2', 'a')).toBeUndefined()
      await store.delete('p1', 'a')
      expect((await store.list('p1')).map((s) => s.id)).toEqual(['b'])
    })

    test('putNow stores the conversation and its summary, and leaves the bounds to the next put', async () => {
      const store = make({ conversationsPerProject: 2, bytesPerProject: 1_000_000 })
      await store.put(conversation('a', day(1)))
      await store.put(conversation('b', day(2)))
      await store.putNow(conversation('c', day(3), 'streaming'))
      expect((await store.get('p1', 'c'))?.messages[0]).toMatchObject({ text: 'streaming' })
      expect((await store.list('p1')).map((s) => s.id)).toEqual(['c', 'b', 'a'])
      await store.put(conversation('c', day(4), 'whole'))
      expect((await store.list('p1')).map((s) => s.id)).toEqual(['c', 'b'])
    })

    test('a value read is a copy: changing it changes nothing stored', async () => {
      const store = make({ conversationsPerProject: 3, bytesPerProject: 1_000_000 })
      const c = conversation('a', day(1))
      await store.put(c)
      c.title = 'changed after put'
      const read = await store.get('p1', 'a')
      read!.title = 'changed after get'
      expect((await store.get('p1', 'a'))!.title).toBe('a')
    })

    test('past the count bound, the least recently updated conversations of that project go; never the one written', async () => {
      const store = make({ conversationsPerProject: 3, bytesPerProject: 1_000_000 })
      for (const [id, d] of [['a', 1], ['b', 2], ['c', 3]] as const) await store.put(conversation(id, day(d)))
      await store.put(conversation('elsewhere', day(1), 'x', 'p2'))
      expect(await store.put(conversation('d', day(4)))).toEqual({ evicted: ['a'] })
      expect((await store.list('p1')).map((s) => s.id)).toEqual(['d', 'c', 'b'])
      expect(await store.get('p1', 'a')).toBeUndefined()
      // Written with an older time than the rest, it still stays: it is the one being written.
      expect(await store.put(conversation('old', day(1)))).toEqual({ evicted: ['b'] })
      expect((await store.list('p2')).map((s) => s.id)).toEqual(['elsewhere'])
    })

    test('past the byte bound, old conversations go until the project fits', async () => {
      const store = make({ conversationsPerProject: 50, bytesPerProject: 25_000 })
      await store.put(conversation('a', day(1), 'x'.repeat(10_000)))
      await store.put(conversation('b', day(2), 'x'.repeat(10_000)))
      expect(await store.put(conversation('c', day(3), 'x'.repeat(10_000)))).toEqual({ evicted: ['a'] })
      const kept = await store.list('p1')
      expect(kept.map((s) => s.id)).toEqual(['c', 'b'])
      expect(kept.reduce((sum, s) => sum + s.bytes, 0)).toBeLessThanOrEqual(25_000)
    })

    test('an invalid conversation is refused and nothing is written', async () => {
      const store = make({ conversationsPerProject: 3, bytesPerProject: 1_000_000 })
      await expect(store.put({ ...conversation('a', day(1)), messages: [{ kind: 'weird' }] } as unknown as Conversation)).rejects.toThrow()
      expect(await store.list('p1')).toEqual([])
    })

    test('project state: defaults, round trip, and deleting a project forgets everything of it', async () => {
      const store = make({ conversationsPerProject: 3, bytesPerProject: 1_000_000 })
      expect(await store.getProjectState('p1')).toEqual({ allowedCommands: [], applyAtOnce: false, staged: [] })
      await store.putProjectState('p1', { allowedCommands: ['npm test'], applyAtOnce: true, staged: [], model: 'm', lastConversationId: 'a' })
      await store.put(conversation('a', day(1)))
      expect(await store.getProjectState('p1')).toMatchObject({ allowedCommands: ['npm test'], applyAtOnce: true })
      await store.deleteProject('p1')
      expect(await store.list('p1')).toEqual([])
      expect(await store.getProjectState('p1')).toEqual({ allowedCommands: [], applyAtOnce: false, staged: [] })
    })

    test('moving a project (uploaded into an account under a new id) moves its conversations and state; others stay', async () => {
      const store = make({ conversationsPerProject: 3, bytesPerProject: 1_000_000 })
      await store.put(conversation('a', day(1)))
      await store.put(conversation('b', day(2)))
      await store.put(conversation('x', day(3), 'other', 'p9'))
      await store.putProjectState('p1', { allowedCommands: ['npm test'], applyAtOnce: true, staged: [], lastConversationId: 'b' })
      await store.moveProject('p1', 'p2')
      expect(await store.list('p1')).toEqual([])
      expect((await store.list('p2')).map((s) => [s.id, s.projectId])).toEqual([['b', 'p2'], ['a', 'p2']])
      expect(await store.get('p2', 'a')).toMatchObject({ projectId: 'p2', messages: [{ text: 'hi' }] })
      expect(await store.getProjectState('p2')).toMatchObject({ allowedCommands: ['npm test'], lastConversationId: 'b' })
      expect(await store.getProjectState('p1')).toEqual({ allowedCommands: [], applyAtOnce: false, staged: [] })
      expect((await store.list('p9')).map((s) => s.id)).toEqual(['x'])
    })
  })
}
