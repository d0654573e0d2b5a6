/// Keyboard labels for the current platform. Checks globals before using them (runs in tests too).
export function isMac(): boolean {
  if (typeof navigator === 'undefined') return false
  const platform = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform ?? navigator.platform ?? ''
  return /mac|iphone|ipad/i.test(platform)
}

/// "Ctrl", or "⌘" on Apple platforms.
export function modKey(): string {
  return isMac() ? '⌘' : 'Ctrl'
}
