export { ERROR_STATUS, ErrorBodySchema, ErrorCodeSchema } from './errors.ts'
export type { ErrorBody, ErrorCode } from './errors.ts'
export {
  COEP_META_NAME,
  CoepSchema,
  DEFAULT_COEP,
  HealthSchema,
  JSON_BODY_LIMIT,
  JSON_CONTENT_TYPE,
  YJS_UPDATE_CONTENT_TYPE,
} from './config.ts'
export type { Coep, Health } from './config.ts'
export { LIMITS } from './files/limits.ts'
export { mediaType } from './media-type.ts'
export { IGNORED_DIRS, checkProjectPath, isIgnoredPath } from './files/paths.ts'
export type { PathCheck, PathProblem } from './files/paths.ts'
export { SESSION_COOKIE_NAMES } from './session.ts'
export { fromBase64Url, toBase64Url } from './sync/base64url.ts'
export { DOC_VERSION_HEADER, DOC_VERSION_PATTERN, FILES_MAP, FOLDERS_MAP, STATE_VECTOR_HEADER, SyncPushResponseSchema } from './sync/index.ts'
export type { SyncPushResponse } from './sync/index.ts'
export { filePathOf } from './sync/file-path.ts'
export type { YTypeShape } from './sync/file-path.ts'
export { TEMPLATES, TEMPLATE_IDS } from './templates/index.ts'
export type { Template, TemplateId } from './templates/index.ts'
export {
  AuthResponseSchema,
  CredentialsSchema,
  DISPLAY_NAME_MAX,
  DisplayNameSchema,
  EmailSchema,
  LoginSchema,
  PASSWORD_MAX,
  PASSWORD_MIN,
  PasswordSchema,
  UpdateMeSchema,
  UserSchema,
} from './schemas/auth.ts'
export type { AuthResponse, Credentials, UpdateMe, User } from './schemas/auth.ts'
export {
  CreateProjectSchema,
  FileEntrySchema,
  FileListSchema,
  ProjectListSchema,
  ProjectNameSchema,
  ProjectResponseSchema,
  ProjectSchema,
  TemplateIdSchema,
  UpdateProjectSchema,
} from './schemas/projects.ts'
export type { FileEntry, Project } from './schemas/projects.ts'
export {
  DirEntrySchema,
  EncodingSchema,
  EventSchema as LocalRuntimeEventSchema,
  LOCAL_RUNTIME_PATH,
  PREVIEW_CONSOLE_PATH,
  RequestSchema as LocalRuntimeRequestSchema,
  ResponseSchema as LocalRuntimeResponseSchema,
  ResultSchemas as LocalRuntimeResultSchemas,
  RuntimeErrorCodeSchema,
  ServerMessageSchema as LocalRuntimeServerMessageSchema,
  WireTreeSchema,
} from './protocol/local-runtime.ts'
export type {
  RuntimeEvent as LocalRuntimeEvent,
  RuntimeRequest as LocalRuntimeRequest,
  ServerMessage as LocalRuntimeServerMessage,
  WireTree,
} from './protocol/local-runtime.ts'
export {
  PREVIEW_CONSOLE_LEVELS,
  PREVIEW_CONSOLE_LIMITS,
  PREVIEW_CONSOLE_SOURCE,
  PreviewConsoleLevelSchema,
  PreviewConsoleMessageSchema,
} from './protocol/preview-console.ts'
export type { PreviewConsoleLevel, PreviewConsoleMessage } from './protocol/preview-console.ts'
export { previewConsoleScript } from './protocol/preview-console-script.ts'
export * from './ai/index.ts'
export * from './shares/index.ts'
