/// What the page offers WebContainer. Every browser global the adapter looks at is read here, once.
export interface WebContainerPlatform {
  /// `crossOriginIsolated` of the page (needs the COOP/COEP headers).
  readonly crossOriginIsolated: boolean
  readonly sharedArrayBuffer: boolean
  /// `navigator.onLine`: false means certainly offline, true means maybe online.
  readonly onLine: boolean
  /// Chromium-based (Chrome, Edge, Brave…): the only browsers where WebContainer is fully supported, not beta.
  readonly chromium: boolean
}

/// The globals `readWebContainerPlatform` reads, so tests can pass a plain object instead of `window`.
export interface PlatformScope {
  crossOriginIsolated?: boolean
  SharedArrayBuffer?: unknown
  navigator?: {
    onLine?: boolean
    userAgent?: string
    userAgentData?: { brands?: readonly { brand: string }[] }
  }
}

export function readWebContainerPlatform(scope: PlatformScope): WebContainerPlatform {
  const navigator = scope.navigator
  const brands = navigator?.userAgentData?.brands
  const chromium = brands
    ? brands.some(({ brand }) => brand === 'Chromium')
    : /\b(?:Chrome|Chromium|Edg)\//.test(navigator?.userAgent ?? '')
  return {
    crossOriginIsolated: scope.crossOriginIsolated === true,
    sharedArrayBuffer: typeof scope.SharedArrayBuffer === 'function',
    onLine: navigator?.onLine !== false,
    chromium,
  }
}
