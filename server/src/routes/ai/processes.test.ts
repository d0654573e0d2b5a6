import { AiStatusSchema, ErrorBodySchema } from '@slipway/shared'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import type { FakeAnthropic } from '../../../test-support/fake-anthropic.mjs'
import { startFakeAnthropic } from '../../../test-support/fake-anthropic.mjs'
import type { Database } from '../../adapters/db/index.ts'
import { openDatabase } from '../../adapters/db/index.ts'
import { KEY_REFUSED_MESSAGE } from '../../domain/ai/service.ts'
import { AiUser, FAKE_KEY, FAST_RETRY, aiConfig, ask, servedApp } from '../../test/ai.ts'
import { MIGRATIONS, createScratchPostgres, postgresUnavailable } from '../../test/databases.ts'
import type { Running } from '../../test/process.ts'
import { start } from '../../test/process.ts'

// The budget and the stream slots are shared by every server process: here the real entry point runs in a child
// process and the app in this one, on the same Postgres database.
const pgSkip = await postgresUnavailable()
const errorOf = (body: unknown) => ErrorBodySchema.parse(body).error

describe.skipIf(pgSkip !== undefined)(`AI budget and streams across two server processes [postgres]${pgSkip ? ` (skipped: ${pgSkip})` : ''}`, () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>>
  let database: Database
  let fake: FakeAnthropic
  let here: Awaited<ReturnType<typeof servedApp>>
  let child: Running
  const env = (key = FAKE_KEY) => ({
    DATABASE_URL: scratch.url,
    ANTHROPIC_API_KEY: key,
    ANTHROPIC_BASE_URL: fake.url,
    SLIPWAY_AI_DAILY_TOKENS: '20000',
    SLIPWAY_AI_MAX_TOKENS: '4096',
  })
  async function stop(p: Running) {
    p.child.kill('SIGTERM')
    await p.exit
  }

  beforeAll(async () => {
    scratch = await createScratchPostgres()
    database = await openDatabase({ driver: 'postgres', url: scratch.url }, MIGRATIONS)
    fake = await startFakeAnthropic({ apiKey: FAKE_KEY })
    here = await servedApp({ database, ai: aiConfig(fake.url, { dailyTokens: 20_000, maxTokens: 4096 }), aiTuning: { retry: FAST_RETRY } })
    child = await start(env())
  })
  afterAll(async () => {
    if (child) await stop(child)
    await here?.close()
    await database?.close()
    await fake?.close()
    await scratch?.drop()
  })
  beforeEach(() => fake.reset())

  test('a call settled in one process counts in the other (once written): there the next is refused with 429 until the UTC day ends', async () => {
    const person = await here.user()
    const there = new AiUser(child.url, person.cookie)
    fake.enqueue({ usage: { input_tokens: 16_000, output_tokens: 2_500, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } })
    const first = await there.ask(ask('one'))
    expect(first.events.at(-1)).toMatchObject({ type: 'done', budget: { used: 18_500, limit: 20_000 } })
    // The answer ends before its settlement is written (a few milliseconds later): another process sees it then.
    await expect.poll(async () => AiStatusSchema.parse(await person.status()).budget!.used, { timeout: 3000, interval: 20 }).toBe(18_500)

    const refused = await person.post(ask('two'))
    expect(refused.status).toBe(429)
    const midnight = new Date()
    midnight.setUTCHours(24, 0, 0, 0)
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(Math.abs(retryAfter - (midnight.getTime() - Date.now()) / 1000)).toBeLessThan(10)
    expect(errorOf(await refused.json())).toMatchObject({ code: 'budget_exceeded', details: { used: 18_500, limit: 20_000, resetsAt: midnight.toISOString() } })
    expect(fake.requests).toHaveLength(1)
  })

  test('ten calls at once, five to each process: exactly two stream, eight get 429; a slot freed in one process serves the other', async () => {
    const person = await here.user()
    const there = new AiUser(child.url, person.cookie)
    fake.enqueue(...Array.from({ length: 10 }, () => ({ hold: true, blocks: [{ type: 'text' as const, text: 'held' }] })))
    const controllers = Array.from({ length: 10 }, () => new AbortController())
    const answers = await Promise.all(controllers.map((c, i) => (i % 2 ? there : person).post(ask(`call ${i}`), { signal: c.signal })))
    const statuses = answers.map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(2)
    expect(statuses.filter((s) => s === 429)).toHaveLength(8)
    for (const r of answers) if (r.status === 429) expect(errorOf(await r.json()).code).toBe('rate_limited')
    expect(fake.requests).toHaveLength(2)

    const held = controllers.filter((_c, i) => statuses[i] === 200)
    held[0]!.abort()
    fake.enqueue({ blocks: [{ type: 'text', text: 'your turn' }] })
    await expect.poll(async () => (await there.post(ask('again'))).status, { timeout: 5000, interval: 50 }).toBe(200)
    held[1]!.abort()
  })

  test('a refused key, in the real server process: the person is told in plain words, its log names the variable, never the key', async () => {
    const wrongKey = ['sk-ant-', 'wrong-', 'Hy6tR4eW2qL8'].join('')
    const refusing = await start(env(wrongKey))
    try {
      const person = await here.user()
      const res = await new AiUser(refusing.url, person.cookie).post(ask('hi'))
      const body = await res.text()
      expect(res.status).toBe(502)
      expect(errorOf(JSON.parse(body))).toEqual({ code: 'ai_upstream_error', message: KEY_REFUSED_MESSAGE })
      expect(fake.requests[0]).toMatchObject({ apiKey: wrongKey, status: 401 })
      await expect.poll(() => refusing.stderr(), { timeout: 3000 }).toMatch(/Anthropic refused the API key \(check ANTHROPIC_API_KEY\)/)
    } finally {
      await stop(refusing)
    }
    for (const out of [refusing.stderr(), child.stderr()]) {
      expect(out).not.toContain(wrongKey)
      expect(out).not.toContain(FAKE_KEY)
    }
  })
})
