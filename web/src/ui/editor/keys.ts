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

/// Ctrl+G, Monaco's "Go to Line/Column…" (Ctrl+G on macOS too, as in VS Code and Monaco; ⌘G is find next there).
export function isGoToLineKey(e: { code: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }): boolean {
  return e.code === 'KeyG' && e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey
}
