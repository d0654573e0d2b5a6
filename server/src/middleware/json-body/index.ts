import { JSON_CONTENT_TYPE, mediaType } from '@slipway/shared'
import { validator } from 'hono/validator'
import type { z } from 'zod'
import { AppError } from '../../errors.ts'

/// Validates a JSON body with a shared zod schema. Malformed JSON → 400 `invalid_json` (mapped in onError);
/// a body that parses but breaks the schema → 400 `invalid_body` with one entry per problem.
export function jsonBody<S extends z.ZodType>(schema: S) {
  return validator('json', (value, c): z.output<S> => {
    if (mediaType(c.req.header('content-type')) !== JSON_CONTENT_TYPE) throw new AppError('unsupported_media_type', `Content-Type must be ${JSON_CONTENT_TYPE}`)
    const result = schema.safeParse(value)
    if (!result.success) {
      throw new AppError('invalid_body', 'Request body does not match the expected shape', {
        details: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      })
    }
    return result.data
  })
}
