import { expect, test } from 'vitest'
import type { PreviewMessage } from '../runtime/index.ts'
import { appendToConsole, CONSOLE_BUFFER_LIMITS } from './consoleBuffer.ts'

const log = (message: string, stack?: string): PreviewMessage => ({ level: 'log', kind: 'console', message, ...(stack ? { stack } : {}) })
const texts = (messages: readonly PreviewMessage[]) => messages.map((m) => m.message)

test.each<[string, string[], PreviewMessage, string[]]>([
  ['grows while both limits hold', ['a', 'b'], log('c'), ['a', 'b', 'c']],
  ['drops the oldest past the count', ['a', 'b', 'c'], log('d'), ['b', 'c', 'd']],
  ['drops the oldest past the characters', ['aaaa', 'bb', 'c'], log('ddd'), ['bb', 'c', 'ddd']],
  ['a stack counts too', ['aa', 'bb'], log('c', 'xxxxx'), ['c']],
  ['one message alone is always kept', ['a'], log('x'.repeat(20)), ['x'.repeat(20)]],
])('%s', (_, before, message, after) => {
  const list = before.map((m) => log(m))
  const next = appendToConsole(list, message, { count: 3, chars: 6 })
  expect(texts(next)).toEqual(after)
  expect(texts(list)).toEqual(before)
})

test('the default limits bound a flood by count and by characters', () => {
  let list: PreviewMessage[] = []
  for (let i = 0; i < CONSOLE_BUFFER_LIMITS.count + 50; i++) list = appendToConsole(list, log(`line ${i}`))
  expect(list).toHaveLength(CONSOLE_BUFFER_LIMITS.count)
  expect(list.at(-1)!.message).toBe(`line ${CONSOLE_BUFFER_LIMITS.count + 49}`)
  for (let i = 0; i < 500; i++) list = appendToConsole(list, log('x'.repeat(10_000), 'y'.repeat(20_000)))
  expect(list.reduce((n, m) => n + m.message.length + (m.stack?.length ?? 0), 0)).toBeLessThanOrEqual(CONSOLE_BUFFER_LIMITS.chars)
  expect(list).toHaveLength(Math.floor(CONSOLE_BUFFER_LIMITS.chars / 30_000))
})
