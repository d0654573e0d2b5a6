import { AI_STORE_LIMITS, AiProjectStateSchema, ConversationSchema, evictions, summaryOf } from '../core/ai/conversation.ts'
import type { AiConversationStore, AiProjectState, Conversation, ConversationSummary } from '../core/ai/conversation.ts'

/// An in-memory `AiConversationStore` for core unit tests. It keeps the same contract as the IndexedDB adapter
/// (aiConversations.contract.ts runs against both): values are validated and copied in and out, and the same bounds
/// evict the same conversations.
export class MemoryAiConversations implements AiConversationStore {
  private readonly conversations = new Map<string, Conversation>()
  private readonly projects = new Map<string, AiProjectState>()

  constructor(private readonly limits: { conversationsPerProject: number; bytesPerProject: number } = AI_STORE_LIMITS) {}

  private key = (projectId: string, id: string) => `${projectId}\n${id}`

  async list(projectId: string): Promise<ConversationSummary[]> {
    return [...this.conversations.values()]
      .filter((c) => c.projectId === projectId)
      .map(summaryOf)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  }

  async get(projectId: string, id: string): Promise<Conversation | undefined> {
    const c = this.conversations.get(this.key(projectId, id))
    return c && structuredClone(c)
  }

  async put(conversation: Conversation): Promise<{ evicted: string[] }> {
    const valid = ConversationSchema.parse(structuredClone(conversation))
    this.conversations.set(this.key(valid.projectId, valid.id), valid)
    const evicted = evictions(summaryOf(valid), await this.list(valid.projectId), this.limits)
    for (const id of evicted) this.conversations.delete(this.key(valid.projectId, id))
    return { evicted }
  }

  async putNow(conversation: Conversation): Promise<void> {
    const valid = ConversationSchema.parse(structuredClone(conversation))
    this.conversations.set(this.key(valid.projectId, valid.id), valid)
  }

  async delete(projectId: string, id: string): Promise<void> {
    this.conversations.delete(this.key(projectId, id))
  }

  async getProjectState(projectId: string): Promise<AiProjectState> {
    return structuredClone(this.projects.get(projectId) ?? AiProjectStateSchema.parse({}))
  }

  async putProjectState(projectId: string, state: AiProjectState): Promise<void> {
    this.projects.set(projectId, AiProjectStateSchema.parse(structuredClone(state)))
  }

  async moveProject(from: string, to: string): Promise<void> {
    for (const s of await this.list(from)) {
      const c = (await this.get(from, s.id))!
      this.conversations.delete(this.key(from, s.id))
      await this.put({ ...c, projectId: to })
    }
    if (this.projects.has(from)) this.projects.set(to, this.projects.get(from)!)
    this.projects.delete(from)
  }

  async deleteProject(projectId: string): Promise<void> {
    for (const c of await this.list(projectId)) this.conversations.delete(this.key(projectId, c.id))
    this.projects.delete(projectId)
  }
}
