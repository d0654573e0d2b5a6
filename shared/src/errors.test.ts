import { expect, test } from 'vitest'
import { ERROR_STATUS, ErrorBodySchema } from './errors.ts'

test('every error code maps to a 4xx or 5xx status', () => {
  for (const [code, status] of Object.entries(ERROR_STATUS)) {
    expect(status, code).toBeGreaterThanOrEqual(400)
    expect(status, code).toBeLessThan(600)
  }
})

test('the wire shape rejects unknown codes and accepts details', () => {
  expect(ErrorBodySchema.safeParse({ error: { code: 'teapot', message: 'x' } }).success).toBe(false)
  expect(ErrorBodySchema.parse({ error: { code: 'invalid_body', message: 'x', details: [{ path: 'a' }] } }).error.details).toEqual([
    { path: 'a' },
  ])
})
