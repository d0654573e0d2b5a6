import { openDB, unwrap } from 'idb'
import type { DBSchema, IDBPDatabase } from 'idb'
import { AI_STORE_LIMITS, AiProjectStateSchema, ConversationSchema, ConversationSummarySchema, evictions, summaryOf } from '../../core/ai/conversation.ts'
import type { AiConversationStore, AiProjectState, Conversation, ConversationSummary } from '../../core/ai/conversation.ts'

interface AiDB extends DBSchema {
  /// Whole conversations, keyed [projectId, id].
  conversations: { key: [string, string]; value: unknown }
  /// One small row per conversation (title, time, size), so listing and the bounds never read whole conversations.
  summaries: { key: [string, string]; value: unknown; indexes: { byProject: string } }
  /// Per project: allowlisted commands, settings, staged edits (`AiProjectState`).
  projects: { key: string; value: unknown }
}

export interface AiConversationLimits {
  conversationsPerProject: number
  bytesPerProject: number
}

/// The assistant's conversations in this browser's IndexedDB (a database of its own), per project, readable offline.
/// Bounded per project by count and by bytes (`AI_STORE_LIMITS`): storing a conversation deletes the project's least
/// recently updated others past either bound. Rows are checked with zod when read; a row that fails is skipped.
export class AiConversations implements AiConversationStore {
  private db: Promise<IDBPDatabase<AiDB>> | undefined

  constructor(
    private readonly name = 'slipway-ai',
    private readonly limits: AiConversationLimits = AI_STORE_LIMITS,
  ) {}

  private open() {
    this.db ??= openDB<AiDB>(this.name, 1, {
      // Another tab opened a newer version of the app: close so its upgrade can go ahead.
      blocking: () => void this.db?.then((db) => db.close()).finally(() => (this.db = undefined)),
      upgrade(db) {
        db.createObjectStore('conversations', { keyPath: ['projectId', 'id'] })
        db.createObjectStore('summaries', { keyPath: ['projectId', 'id'] }).createIndex('byProject', 'projectId')
        db.createObjectStore('projects')
      },
    })
    return this.db
  }

  async list(projectId: string): Promise<ConversationSummary[]> {
    const rows = await (await this.open()).getAllFromIndex('summaries', 'byProject', projectId)
    return parseAll(rows).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  }

  async get(projectId: string, id: string): Promise<Conversation | undefined> {
    const parsed = ConversationSchema.safeParse(await (await this.open()).get('conversations', [projectId, id]))
    return parsed.success ? parsed.data : undefined
  }

  async put(conversation: Conversation): Promise<{ evicted: string[] }> {
    const valid = ConversationSchema.parse(conversation)
    const summary = summaryOf(valid)
    const db = await this.open()
    const tx = db.transaction(['conversations', 'summaries'], 'readwrite')
    const conversations = tx.objectStore('conversations')
    const summaries = tx.objectStore('summaries')
    await conversations.put(valid)
    await summaries.put(summary)
    const evicted = evictions(summary, parseAll(await summaries.index('byProject').getAll(valid.projectId)), this.limits)
    for (const id of evicted) {
      await conversations.delete([valid.projectId, id])
      await summaries.delete([valid.projectId, id])
    }
    await tx.done
    return { evicted }
  }

  /// The conversation and its summary, both requests made in one go and the transaction committed at once: a page
  /// that is being left gets no later task to make `put`'s further requests (the summaries read, the evictions), and
  /// such a transaction was often lost, keeping an answer ~0.5 s behind what the page showed.
  async putNow(conversation: Conversation): Promise<void> {
    const valid = ConversationSchema.parse(conversation)
    const db = await this.open()
    const tx = db.transaction(['conversations', 'summaries'], 'readwrite')
    void tx.objectStore('conversations').put(valid)
    void tx.objectStore('summaries').put(summaryOf(valid))
    unwrap(tx).commit?.()
    await tx.done
  }

  async delete(projectId: string, id: string): Promise<void> {
    const db = await this.open()
    const tx = db.transaction(['conversations', 'summaries'], 'readwrite')
    await tx.objectStore('conversations').delete([projectId, id])
    await tx.objectStore('summaries').delete([projectId, id])
    await tx.done
  }

  async getProjectState(projectId: string): Promise<AiProjectState> {
    const parsed = AiProjectStateSchema.safeParse((await (await this.open()).get('projects', projectId)) ?? {})
    return parsed.success ? parsed.data : AiProjectStateSchema.parse({})
  }

  async putProjectState(projectId: string, state: AiProjectState): Promise<void> {
    await (await this.open()).put('projects', AiProjectStateSchema.parse(state), projectId)
  }

  /// Keeps a project's conversations and state under its new id (a project of this browser uploaded into an account
  /// gets the server's id; its doc keeps its Yjs history, so checkpoints still apply). One transaction.
  async moveProject(from: string, to: string): Promise<void> {
    const db = await this.open()
    const tx = db.transaction(['conversations', 'summaries', 'projects'], 'readwrite')
    for (const s of parseAll(await tx.objectStore('summaries').index('byProject').getAll(from))) {
      const parsed = ConversationSchema.safeParse(await tx.objectStore('conversations').get([from, s.id]))
      await tx.objectStore('conversations').delete([from, s.id])
      await tx.objectStore('summaries').delete([from, s.id])
      if (!parsed.success) continue
      const moved = { ...parsed.data, projectId: to }
      await tx.objectStore('conversations').put(moved)
      await tx.objectStore('summaries').put(summaryOf(moved))
    }
    const state = await tx.objectStore('projects').get(from)
    if (state !== undefined) await tx.objectStore('projects').put(state, to)
    await tx.objectStore('projects').delete(from)
    await tx.done
  }

  /// Forgets everything kept for a project (its conversations and state).
  async deleteProject(projectId: string): Promise<void> {
    const db = await this.open()
    const tx = db.transaction(['conversations', 'summaries', 'projects'], 'readwrite')
    for (const s of parseAll(await tx.objectStore('summaries').index('byProject').getAll(projectId))) {
      await tx.objectStore('conversations').delete([projectId, s.id])
      await tx.objectStore('summaries').delete([projectId, s.id])
    }
    await tx.objectStore('projects').delete(projectId)
    await tx.done
  }
}

function parseAll(rows: unknown[]): ConversationSummary[] {
  return rows.flatMap((r) => {
    const parsed = ConversationSummarySchema.safeParse(r)
    return parsed.success ? [parsed.data] : []
  })
}
