import { aiConversationsContract } from './aiConversations.contract.ts'
import { MemoryAiConversations } from './MemoryAiConversations.ts'

aiConversationsContract('MemoryAiConversations', (limits) => new MemoryAiConversations(limits))
