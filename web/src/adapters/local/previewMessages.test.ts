import { expect, test } from 'vitest'
import type { PreviewMessage } from '../../core/runtime/index.ts'
import { PreviewMessages, type MessageSource } from './previewMessages.ts'

function setup() {
  const target = new EventTarget()
  const source = target as unknown as MessageSource
  const got: PreviewMessage[] = []
  const previews = new PreviewMessages(source, (m) => got.push(m))
  const post = (origin: string, data: unknown) => target.dispatchEvent(new MessageEvent('message', { origin, data }))
  return { previews, got, post }
}

const boom = { source: 'slipway-preview', level: 'error', kind: 'uncaught-exception', message: 'Error: boom', stack: 'at x' }

test('messages from an open preview origin become preview messages of its port', () => {
  const { previews, got, post } = setup()
  previews.track(3000, 'open', 'http://127.0.0.1:41234')
  post('http://127.0.0.1:41234', boom)
  post('http://127.0.0.1:41234', { source: 'slipway-preview', level: 'error', kind: 'console', message: 'plain' })
  expect(got).toEqual([
    { level: 'error', kind: 'uncaught-exception', message: 'Error: boom', stack: 'at x', port: 3000 },
    { level: 'error', kind: 'console', message: 'plain', port: 3000 },
  ])
})

test('other origins, closed previews and messages of another shape are ignored', () => {
  const { previews, got, post } = setup()
  previews.track(3000, 'open', 'http://127.0.0.1:41234')
  post('http://127.0.0.1:9999', boom)
  post('http://127.0.0.1:41234', { ...boom, kind: 'something-else' })
  post('http://127.0.0.1:41234', { ...boom, extra: 1 })
  post('http://127.0.0.1:41234', 'Error: boom')
  previews.track(3000, 'close', 'http://127.0.0.1:41234')
  post('http://127.0.0.1:41234', boom)
  expect(got).toEqual([])
})

test('dispose stops listening', () => {
  const { previews, got, post } = setup()
  previews.track(3000, 'open', 'http://127.0.0.1:41234')
  previews.dispose()
  post('http://127.0.0.1:41234', boom)
  expect(got).toEqual([])
})
