export { AI_LIMITS } from './limits.ts'
export {
  AI_API,
  AiBlockSchema,
  AiBudgetSchema,
  AiContextBlockSchema,
  AiContextKindSchema,
  AiMessageSchema,
  AiMessagesRequestSchema,
  AiModelSchema,
  AiRedactedThinkingBlockSchema,
  AiStatusSchema,
  AiStreamEventSchema,
  AiTextBlockSchema,
  AiThinkingBlockSchema,
  AiToolResultBlockSchema,
  AiToolUseBlockSchema,
  AiUsageSchema,
} from './schemas.ts'
export type { AiBlock, AiBudget, AiContextBlock, AiContextKind, AiMessage, AiMessagesRequest, AiModel, AiStatus, AiStreamEvent, AiThinkingBlock, AiUsage } from './schemas.ts'
export {
  AI_TOOLS,
  AI_TOOL_NAMES,
  AiToolNameSchema,
  CreateFileInput,
  DeleteFileInput,
  EditFileInput,
  ListFilesInput,
  ReadFileInput,
  RunCommandInput,
  SearchInput,
} from './tools.ts'
export type { AiToolInput, AiToolName } from './tools.ts'
