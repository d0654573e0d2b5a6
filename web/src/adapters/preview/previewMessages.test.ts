import { PREVIEW_CONSOLE_LEVELS } from '@slipway/shared'
import { expect, test } from 'vitest'
import type { PreviewMessage } from '../../core/runtime/index.ts'
import { MAX_PER_ORIGIN_PER_SECOND, PreviewMessages, type MessageSource } from './previewMessages.ts'

function setup() {
  const target = new EventTarget()
  const source = target as unknown as MessageSource
  const got: PreviewMessage[] = []
  const clock = { now: 0 }
  const previews = new PreviewMessages(source, (m) => got.push(m), { now: () => clock.now })
  const post = (origin: string, data: unknown) => target.dispatchEvent(new MessageEvent('message', { origin, data }))
  return { previews, got, post, clock }
}

const boom = { source: 'slipway-preview', level: 'error', kind: 'uncaught-exception', message: 'Error: boom', stack: 'at x' }
const log = (level: string, message: string) => ({ source: 'slipway-preview', level, kind: 'console', message })

test('messages from an open preview origin become preview messages of its port, at every console level', () => {
  const { previews, got, post } = setup()
  previews.track(3000, 'open', 'http://127.0.0.1:41234')
  post('http://127.0.0.1:41234', boom)
  for (const level of PREVIEW_CONSOLE_LEVELS) post('http://127.0.0.1:41234', log(level, `a ${level}`))
  expect(got).toEqual([
    { level: 'error', kind: 'uncaught-exception', message: 'Error: boom', stack: 'at x', port: 3000 },
    ...PREVIEW_CONSOLE_LEVELS.map((level) => ({ level, kind: 'console', message: `a ${level}`, port: 3000 })),
  ])
})

test('other origins, closed previews and messages of another shape are ignored', () => {
  const { previews, got, post } = setup()
  previews.track(3000, 'open', 'http://127.0.0.1:41234')
  post('http://127.0.0.1:9999', boom)
  post('http://127.0.0.1:41234', { ...boom, kind: 'something-else' })
  post('http://127.0.0.1:41234', { ...boom, extra: 1 })
  post('http://127.0.0.1:41234', { ...boom, level: 'warn' }) // an uncaught exception is an error
  post('http://127.0.0.1:41234', log('trace', 'no such level'))
  post('http://127.0.0.1:41234', log('log', 'x'.repeat(10_001)))
  post('http://127.0.0.1:41234', { ...boom, stack: 'x'.repeat(20_001) })
  post('http://127.0.0.1:41234', 'Error: boom')
  previews.track(3000, 'close', 'http://127.0.0.1:41234')
  post('http://127.0.0.1:41234', boom)
  expect(got).toEqual([])
})

test(`one origin delivers at most ${MAX_PER_ORIGIN_PER_SECOND} messages a second; others are not held back`, () => {
  const { previews, got, post, clock } = setup()
  previews.track(3000, 'open', 'http://127.0.0.1:41234')
  previews.track(3001, 'open', 'http://127.0.0.1:41235')
  for (let i = 0; i < MAX_PER_ORIGIN_PER_SECOND + 10; i++) post('http://127.0.0.1:41234', log('log', `flood ${i}`))
  post('http://127.0.0.1:41235', log('warn', 'neighbour'))
  expect(got).toHaveLength(MAX_PER_ORIGIN_PER_SECOND + 1)
  expect(got.at(-1)).toMatchObject({ message: 'neighbour', port: 3001 })
  clock.now += 1000
  post('http://127.0.0.1:41234', log('log', 'next second'))
  expect(got.at(-1)).toMatchObject({ message: 'next second', port: 3000 })
})

test('dispose stops listening', () => {
  const { previews, got, post } = setup()
  previews.track(3000, 'open', 'http://127.0.0.1:41234')
  previews.dispose()
  post('http://127.0.0.1:41234', boom)
  expect(got).toEqual([])
})
