import { describe, expect, test } from 'vitest'
import { DISPLAY_NAME_MAX, DisplayNameSchema, UpdateMeSchema, UserSchema } from './auth.ts'

const ok = (input: unknown) => {
  const r = DisplayNameSchema.safeParse(input)
  if (!r.success) throw new Error(`expected ${JSON.stringify(input)} to pass: ${r.error.issues[0]?.message}`)
  return r.data
}
const refused = (input: unknown) => {
  const r = DisplayNameSchema.safeParse(input)
  if (r.success) throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${JSON.stringify(r.data)}`)
  return r.error.issues.map((i) => i.message)
}

describe('DisplayNameSchema', () => {
  test.each([
    ['Ada Lovelace', 'Ada Lovelace'],
    ['  Ada  ', 'Ada'],
    ['José Ñúñez', 'José Ñúñez'],
    ['李小龍', '李小龍'],
    ['Zoë 👩‍👩‍👧', 'Zoë 👩‍👩‍👧'],
    ['a', 'a'],
    // Decomposed "é" (e + combining acute) is stored composed.
    ['Jose\u0301', 'José'],
  ])('accepts %j as %j', (input, output) => {
    expect(ok(input)).toBe(output)
  })

  test('empty, all-space and null clear the name', () => {
    expect(ok('')).toBeNull()
    expect(ok('   \t ')).toBeNull()
    expect(ok(null)).toBeNull()
  })

  test('60 characters pass, 61 do not; astral characters count one each', () => {
    expect(ok('x'.repeat(DISPLAY_NAME_MAX))).toHaveLength(60)
    expect(refused('x'.repeat(DISPLAY_NAME_MAX + 1))).toEqual(['The display name must be at most 60 characters long.'])
    // 60 emoji are 120 UTF-16 units.
    expect(ok('😀'.repeat(60))).toBe('😀'.repeat(60))
    expect(refused('😀'.repeat(61))[0]).toMatch(/at most 60/)
    // Spaces around do not count.
    expect(ok(`  ${'x'.repeat(60)}  `)).toHaveLength(60)
  })

  test.each([
    ['a newline', 'Ada\nLovelace'],
    ['a carriage return', 'Ada\rLovelace'],
    ['a tab', 'Ada\tLovelace'],
    ['NUL', 'Ada\u0000'],
    ['an escape', '\u001b[31mred'],
    ['DEL', 'Ada\u007f'],
    ['a C1 control', 'Ada\u0085Lovelace'],
    ['a line separator', 'Ada\u2028Lovelace'],
    ['a paragraph separator', 'Ada\u2029Lovelace'],
    ['a right-to-left override', 'Ada\u202eecalevoL'],
    ['a bidi isolate', 'Ada\u2066x\u2069'],
    ['a lone surrogate', 'Ada\ud800'],
  ])('refuses %s', (_what, input) => {
    expect(refused(input)).toEqual(['The display name cannot contain line breaks, tabs or other control characters.'])
  })

  test.each([[42], [{}], [['Ada']], [undefined], [true]])('refuses %j (not text or null)', (input) => {
    expect(refused(input)[0]).toMatch(/must be text/)
  })
})

describe('UpdateMeSchema', () => {
  test('takes only displayName', () => {
    expect(UpdateMeSchema.parse({ displayName: ' Ada ' })).toEqual({ displayName: 'Ada' })
    expect(UpdateMeSchema.safeParse({ displayName: 'Ada', email: 'x@example.com' }).success).toBe(false)
    expect(UpdateMeSchema.safeParse({}).success).toBe(false)
  })
})

test('UserSchema reads a user cached before display names existed as having none', () => {
  expect(UserSchema.parse({ id: '1', email: 'a@example.com', createdAt: '2026-01-01T00:00:00.000Z' }).displayName).toBeNull()
})
