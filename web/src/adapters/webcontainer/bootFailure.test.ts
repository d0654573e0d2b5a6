import { expect, test } from 'vitest'
import { bootFailureFromError, BootTimeoutError, spokenDuration } from './bootFailure.ts'

const platform = { crossOriginIsolated: true, sharedArrayBuffer: true, onLine: true, chromium: true }

test('a boot time-out says how long in words a person uses, once', () => {
  const failure = bootFailureFromError(new BootTimeoutError(45_000), platform)
  expect(failure.reason).toBe('network')
  expect(failure.message).toMatch(/^WebContainer did not start within 45 seconds\. /)
  expect(failure.message).not.toMatch(/\d ?ms\b/)
  expect(failure.message.match(/did not start/g)).toHaveLength(1)
})

test.each([
  [1_000, '1 second'],
  [45_000, '45 seconds'],
  [60_000, '1 minute'],
  [150_000, '2 minutes 30 seconds'],
  [200, '1 second'],
])('%i ms is "%s"', (ms, words) => {
  expect(spokenDuration(ms)).toBe(words)
})
