import { AI_API, AI_LIMITS, JSON_CONTENT_TYPE, LIMITS, YJS_UPDATE_CONTENT_TYPE, mediaType } from '@slipway/shared'
import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { AnthropicLlmClient } from './adapters/anthropic.ts'
import { argon2Hasher } from './adapters/argon2.ts'
import { DrizzleAiUsageRepo } from './adapters/db/ai.ts'
import type { Database } from './adapters/db/index.ts'
import { DrizzleAccountRepo, DrizzleProjectRepo, DrizzleRateLimiter } from './adapters/db/repos.ts'
import { DrizzleShareRepo, shareKey } from './adapters/db/shares.ts'
import type { Config } from './config.ts'
import type { RetryPolicy } from './domain/ai/retry.ts'
import { AiService } from './domain/ai/service.ts'
import type { PasswordHasher, SessionPolicy } from './domain/auth.ts'
import { AuthService, DEFAULT_SESSION_POLICY } from './domain/auth.ts'
import { ProjectService } from './domain/projects.ts'
import { DEFAULT_QUOTAS } from './domain/quotas.ts'
import type { ShareRates } from './domain/share-rates.ts'
import { LinkSealer, ShareService } from './domain/shares.ts'
import { SyncService } from './domain/sync.ts'
import { AppError } from './errors.ts'
import type { Logger } from './logger.ts'
import { clientKeyOf } from './middleware/client-ip/index.ts'
import { requestGuard } from './middleware/content-type/index.ts'
import { errorHandler, notFoundHandler } from './middleware/errors/index.ts'
import { hostGuard, ownOrigins } from './middleware/host-guard/index.ts'
import { requestId } from './middleware/request-id/index.ts'
import { securityHeaders } from './middleware/security-headers/index.ts'
import { session, sessionCookie } from './middleware/session/index.ts'
import type { AiUsageRepo, Clock } from './ports.ts'
import { systemClock } from './ports.ts'
import { aiRoutes } from './routes/ai/index.ts'
import { authRoutes } from './routes/auth/index.ts'
import { healthRoutes } from './routes/health/index.ts'
import { projectRoutes } from './routes/projects/index.ts'
import { projectShareRoutes, publicShareRoutes } from './routes/shares/index.ts'
import { syncRoutes } from './routes/sync/index.ts'
import { readShell, spaStatic } from './static/index.ts'
import { sharePage } from './static/share-page.ts'

export interface AppDeps {
  config: Pick<Config, 'coep' | 'publicUrl' | 'webDir' | 'runtimeOrigins'> &
    Partial<Pick<Config, 'trustedProxies' | 'extraOrigins' | 'quotas' | 'docCacheBytes' | 'shareKey' | 'ai'>> & { shareRates?: Partial<ShareRates> }
  database: Database
  logger: Logger
  version: string
  clock?: Clock
  hasher?: PasswordHasher
  sessionPolicy?: SessionPolicy
  /// Tests: the AI proxy's retry policy and lease length (domain/ai/service.ts).
  /// `wrapUsage`: tests hold back or observe the budget's writes.
  aiTuning?: { retry?: RetryPolicy; leaseMs?: number; wrapUsage?: (real: AiUsageRepo) => AiUsageRepo }
}

/// The API routes: one sub-app per resource, under `/api`.
export function createApi(deps: AppDeps, sealer: LinkSealer) {
  const clock = deps.clock ?? systemClock
  const policy = deps.sessionPolicy ?? DEFAULT_SESSION_POLICY
  const db = deps.database.db
  const repo = new DrizzleProjectRepo(db, deps.database.cache)
  const accounts = new DrizzleAccountRepo(db, deps.database.cache, clock)
  const auth = new AuthService(accounts, new DrizzleRateLimiter(db), deps.hasher ?? argon2Hasher, clock, policy)
  const quotas = { ...DEFAULT_QUOTAS, ...deps.config.quotas }
  const sync = new SyncService(repo, clock, deps.database.compactor, { quotas, ...(deps.config.docCacheBytes ? { docCacheBytes: deps.config.docCacheBytes } : {}) })
  let shares: ShareService | undefined
  const projects = new ProjectService(
    repo,
    clock,
    (id, ownerId) => {
      sync.forget(id)
      shares?.purgeLater(ownerId)
    },
    quotas,
  )
  shares = new ShareService(new DrizzleShareRepo(db, deps.database.cache), new DrizzleRateLimiter(db), clock, sealer, sync, projects, {
    quotas,
    publicUrl: deps.config.publicUrl,
    ...(deps.config.shareRates ? { rates: deps.config.shareRates } : {}),
    onError: (err) => deps.logger.error('share links: background work failed', { err }),
  })
  const aiConfig = deps.config.ai
  const { wrapUsage, ...aiTuning } = deps.aiTuning ?? {}
  const aiUsage = new DrizzleAiUsageRepo(db)
  const ai = new AiService({
    llm: aiConfig?.apiKey ? new AnthropicLlmClient({ apiKey: aiConfig.apiKey, baseUrl: aiConfig.baseUrl }) : undefined,
    usage: wrapUsage ? wrapUsage(aiUsage) : aiUsage,
    clock,
    settings: { models: aiConfig?.models ?? [], maxOutputTokens: aiConfig?.maxTokens ?? 0, dailyTokens: aiConfig?.dailyTokens ?? 0 },
    logger: deps.logger,
    ...aiTuning,
  })
  const cookie = sessionCookie(deps.config.publicUrl.protocol === 'https:', policy.absoluteMs)
  const clientKey = clientKeyOf(deps.config.trustedProxies ?? [])

  const api = new Hono()
    .use(session(auth, cookie))
    .route('/health', healthRoutes(deps))
    .route('/auth', authRoutes({ auth, cookie, clientKey }))
    .route('/projects', projectRoutes({ projects, sync, forkSources: shares }))
    .route('/projects', syncRoutes({ sync }))
    .route('/projects', projectShareRoutes({ shares }))
    .route('/s', publicShareRoutes({ shares, clientKey }))
    .route('/ai', aiRoutes({ ai, logger: deps.logger }))
  return Object.assign(api, { shares, sync })
}

/// Body limits by media type: JSON bodies are small, except a conversation sent to the AI proxy; a sync update may be
/// up to `LIMITS.maxUpdateBytes`. Chunked bodies are counted as they arrive.
function bodyLimits(): MiddlewareHandler {
  const tooLarge = (max: number, ai: boolean) =>
    new AppError(
      'payload_too_large',
      ai
        ? `The conversation is larger than ${max / 1024 ** 2} MiB: start a new conversation, or attach less context`
        : `Request body is larger than ${max} bytes`,
    )
  const limit = (maxSize: number, ai = false) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw tooLarge(maxSize, ai)
      },
    })
  const json = limit(LIMITS.maxJsonBytes)
  const update = limit(LIMITS.maxUpdateBytes)
  const conversation = limit(AI_LIMITS.maxBodyBytes, true)
  return function bodyLimits(c, next) {
    // Reading `c.req.raw.body` builds a full Request on Node (a web stream over the socket): only chunked bodies,
    // which must be counted as they arrive, go through `bodyLimit`. A declared length is checked here, and the body
    // is then read straight from the socket by @hono/node-server (Node's parser never reads past that length).
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next()
    const type = mediaType(c.req.header('content-type'))
    const ai = type !== YJS_UPDATE_CONTENT_TYPE && c.req.path === AI_API.messages
    const max = type === YJS_UPDATE_CONTENT_TYPE ? LIMITS.maxUpdateBytes : ai ? AI_LIMITS.maxBodyBytes : LIMITS.maxJsonBytes
    const length = c.req.header('content-length')
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (!/^\d+$/.test(length.trim())) throw new AppError('bad_request', 'Content-Length is not a number')
      if (Number(length) > max) throw tooLarge(max, ai)
      return next()
    }
    return (type === YJS_UPDATE_CONTENT_TYPE ? update : ai ? conversation : json)(c, next)
  }
}

/// The whole app: security headers on every response, the API under `/api`, the built SPA everywhere else.
export async function createApp(deps: AppDeps) {
  const { config } = deps
  const app = new Hono()
  app.use(requestId())
  app.use(
    await securityHeaders({ coep: config.coep, https: config.publicUrl.protocol === 'https:', runtimeOrigins: config.runtimeOrigins }),
  )
  // The Host and the Origin are checked against PUBLIC_URL (and its configured extras), never against each other.
  const origins = ownOrigins(config.publicUrl, config.extraOrigins)
  app.use(hostGuard({ origins, exempt: ['/api/health'] }))
  // Only unsafe methods carry a body and need the CSRF guard; GETs do not even pass through them.
  app.on(
    ['POST', 'PUT', 'PATCH', 'DELETE'],
    '/api/*',
    requestGuard({
      allowedOrigins: origins,
      contentTypes: [JSON_CONTENT_TYPE, YJS_UPDATE_CONTENT_TYPE],
    }),
    bodyLimits(),
  )
  const api = createApi(deps, new LinkSealer(await shareKey(deps.database.db, config.shareKey)))
  app.route('/api', api)
  app.use(sharePage({ shell: await readShell(config), publicUrl: config.publicUrl, state: (id, version) => api.shares.pageState(id, version) }))
  app.use(await spaStatic({ webDir: config.webDir, coep: config.coep }))
  app.notFound(notFoundHandler)
  app.onError(errorHandler(deps.logger))
  // For shutdown, once no request is in flight: stops the services' timers.
  const dispose = () => api.sync.dispose()
  return Object.assign(app, { dispose })
}
