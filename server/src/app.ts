import { JSON_BODY_LIMIT, JSON_CONTENT_TYPE, YJS_UPDATE_CONTENT_TYPE } from '@slipway/shared'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { requestId } from 'hono/request-id'
import type { Database } from './adapters/db/index.ts'
import type { Config } from './config.ts'
import { AppError } from './errors.ts'
import type { Logger } from './logger.ts'
import { requestGuard } from './middleware/content-type/index.ts'
import { errorHandler, notFoundHandler } from './middleware/errors/index.ts'
import { securityHeaders } from './middleware/security-headers/index.ts'
import { healthRoutes } from './routes/health/index.ts'
import { spaStatic } from './static/index.ts'

export interface AppDeps {
  config: Pick<Config, 'coep' | 'publicUrl' | 'webDir' | 'runtimeOrigins'>
  database: Database
  logger: Logger
  version: string
}

/// The API routes, chained so `AppType` carries every route's types for `hc<AppType>`.
export function createApi(deps: AppDeps) {
  return new Hono().route('/health', healthRoutes(deps))
}

export type AppType = ReturnType<typeof createApi>

/// The whole app: security headers on every response, the API under `/api`, the built SPA everywhere else.
export async function createApp(deps: AppDeps) {
  const { config } = deps
  const app = new Hono()
  app.use(requestId())
  app.use(
    securityHeaders({ coep: config.coep, https: config.publicUrl.protocol === 'https:', runtimeOrigins: config.runtimeOrigins }),
  )
  app.use(
    '/api/*',
    requestGuard({ allowedOrigins: [config.publicUrl.origin], contentTypes: [JSON_CONTENT_TYPE, YJS_UPDATE_CONTENT_TYPE] }),
    bodyLimit({
      maxSize: JSON_BODY_LIMIT,
      onError: () => {
        throw new AppError('payload_too_large', `Request body is larger than ${JSON_BODY_LIMIT} bytes`)
      },
    }),
  )
  app.route('/api', createApi(deps))
  app.use(await spaStatic({ webDir: config.webDir, coep: config.coep }))
  app.notFound(notFoundHandler)
  app.onError(errorHandler(deps.logger))
  return app
}
