import { describe, expect, it } from 'vitest'
import { EXTRA_KEYS, extraKeyBytes, withCtrl, type ExtraKey } from './extraKeys.ts'

const plain = { ctrl: false, applicationCursor: false }
const app = { ctrl: false, applicationCursor: true }
const ctrl = { ctrl: true, applicationCursor: false }

describe('extraKeyBytes', () => {
  it.each<[ExtraKey, typeof plain, string]>([
    ['esc', plain, '\x1b'],
    ['tab', plain, '\t'],
    ['ctrl', plain, ''],
    ['up', plain, '\x1b[A'],
    ['down', plain, '\x1b[B'],
    ['right', plain, '\x1b[C'],
    ['left', plain, '\x1b[D'],
    ['up', app, '\x1bOA'],
    ['left', app, '\x1bOD'],
    ['left', ctrl, '\x1b[1;5D'],
    ['right', { ctrl: true, applicationCursor: true }, '\x1b[1;5C'],
    ['pipe', plain, '|'],
    ['tilde', plain, '~'],
    ['slash', plain, '/'],
    ['dash', plain, '-'],
    ['slash', ctrl, '\x1f'],
    ['tilde', ctrl, '~'],
  ])('%s %o → %j', (key, ctx, bytes) => {
    expect(extraKeyBytes(key, ctx)).toBe(bytes)
  })

  it('every key of the row has a label and a name', () => {
    for (const k of EXTRA_KEYS) {
      expect(k.label.length).toBeGreaterThan(0)
      expect(k.name.length).toBeGreaterThan(2)
    }
    expect(new Set(EXTRA_KEYS.map((k) => k.key)).size).toBe(EXTRA_KEYS.length)
  })
})

describe('withCtrl', () => {
  it.each([
    ['c', '\x03'],
    ['C', '\x03'],
    ['d', '\x04'],
    ['z', '\x1a'],
    ['a', '\x01'],
    ['l', '\x0c'],
    [' ', '\x00'],
    ['[', '\x1b'],
    ['\\', '\x1c'],
    [']', '\x1d'],
    ['_', '\x1f'],
    ['?', '\x7f'],
    ['é', 'é'],
    ['ls', 'ls'],
    ['', ''],
    ['\r', '\r'],
  ])('%j → %j', (data, bytes) => {
    expect(withCtrl(data)).toBe(bytes)
  })
})

it.each(EXTRA_KEYS.filter((k) => /^[A-Za-z]+$/.test(k.label)))('the $key key is named by what it shows first ($label → $name), so voice control finds it', ({ label, name }) => {
  // axe label-content-name-mismatch: a name that does not contain the visible word ("Escape" for "Esc").
  expect(name.split(/\W+/)).toContain(label)
})
