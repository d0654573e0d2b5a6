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
