import { describe, expect, test } from 'vitest'
import { readWebContainerPlatform, type PlatformScope } from './platform.ts'

const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0'
const SAFARI_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15'

describe('readWebContainerPlatform', () => {
  test.each<[string, PlatformScope, boolean]>([
    ['Chromium brands', { navigator: { userAgentData: { brands: [{ brand: 'Chromium' }, { brand: 'Edge' }] } } }, true],
    [
      'brands without Chromium',
      { navigator: { userAgentData: { brands: [{ brand: 'Other' }] }, userAgent: CHROME_UA } },
      false,
    ],
    ['a Chrome user agent', { navigator: { userAgent: CHROME_UA } }, true],
    ['a Firefox user agent', { navigator: { userAgent: FIREFOX_UA } }, false],
    ['a Safari user agent', { navigator: { userAgent: SAFARI_UA } }, false],
    ['no navigator', {}, false],
  ])('chromium from %s', (_, scope, chromium) => {
    expect(readWebContainerPlatform(scope).chromium).toBe(chromium)
  })

  test('reads isolation, SharedArrayBuffer and onLine, assuming the worst only when told', () => {
    expect(
      readWebContainerPlatform({ crossOriginIsolated: true, SharedArrayBuffer, navigator: { onLine: true } }),
    ).toMatchObject({ crossOriginIsolated: true, sharedArrayBuffer: true, onLine: true })
    expect(readWebContainerPlatform({})).toMatchObject({
      crossOriginIsolated: false,
      sharedArrayBuffer: false,
      onLine: true,
    })
    expect(readWebContainerPlatform({ navigator: { onLine: false } }).onLine).toBe(false)
  })
})
