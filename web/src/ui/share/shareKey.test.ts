import { describe, expect, it } from 'vitest'
import { isShareKey } from './shareKey.ts'

const key = (over: Partial<Parameters<typeof isShareKey>[0]>) => ({ code: 'KeyS', key: 's', ctrlKey: true, altKey: true, metaKey: false, shiftKey: false, ...over })

describe('isShareKey', () => {
  it.each([
    { name: 'Ctrl+Alt+S', e: key({}), mac: false, share: true },
    { name: 'Ctrl+Alt+S with Caps Lock', e: key({ key: 'S' }), mac: false, share: true },
    { name: '⌃⌥S on macOS (key reads ß)', e: key({ key: 'ß' }), mac: true, share: true },
    { name: 'AltGr+S typing ś (Polish layout)', e: key({ key: 'ś' }), mac: false, share: false },
    { name: 'Ctrl+S (save)', e: key({ altKey: false }), mac: false, share: false },
    { name: 'Alt+S', e: key({ ctrlKey: false }), mac: false, share: false },
    { name: 'Ctrl+Alt+Shift+S', e: key({ shiftKey: true, key: 'S' }), mac: false, share: false },
    { name: '⌘⌥S', e: key({ ctrlKey: false, metaKey: true }), mac: true, share: false },
    { name: 'held down (repeat)', e: key({ repeat: true }), mac: false, share: false },
    { name: 'another key', e: key({ code: 'KeyD', key: 'd' }), mac: false, share: false },
  ])('$name → $share', ({ e, mac, share }) => expect(isShareKey(e, mac)).toBe(share))
})
