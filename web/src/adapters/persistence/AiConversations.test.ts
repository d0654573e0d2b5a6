import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { expect, test } from 'vitest'
import { aiConversationsContract } from '../../test/aiConversations.contract.ts'
import { AiConversations } from './AiConversations.ts'

let n = 0
aiConversationsContract('AiConversations (IndexedDB)', (limits) => new AiConversations(`slipway-ai-store-${++n}`, limits))

test('a corrupt row reads as absent and a corrupt project state as the defaults', async () => {
  const name = `slipway-ai-store-${++n}`
  const store = new AiConversations(name)
  await store.put({ id: 'a', projectId: 'p1', title: 'a', createdAt: 'x', updatedAt: 'x', messages: [], checkpoints: [] })
  await store.putProjectState('p1', { allowedCommands: [], applyAtOnce: true, staged: [] })
  const db = await openDB(name)
  await db.put('conversations', { projectId: 'p1', id: 'a', messages: 'not a list' })
  await db.put('projects', { allowedCommands: 'rm -rf /' }, 'p1')
  db.close()
  const reopened = new AiConversations(name)
  expect(await reopened.get('p1', 'a')).toBeUndefined()
  expect(await reopened.getProjectState('p1')).toEqual({ allowedCommands: [], applyAtOnce: false, staged: [] })
})
