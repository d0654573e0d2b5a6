/// Ctrl+Alt+S (⌃⌥S on macOS) opens the Share dialog. AltGr is Ctrl+Alt on Windows keyboards: AltGr+S types a
/// character there ('ś' on a Polish layout), and that character must still reach the editor, so the key has to read
/// 's' unless on macOS, where Option changes the key ('ß') but ⌃⌥ types nothing.
export function isShareKey(e: { code: string; key: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean; shiftKey: boolean; repeat?: boolean }, mac: boolean): boolean {
  if (e.code !== 'KeyS' || !e.ctrlKey || !e.altKey || e.metaKey || e.shiftKey || e.repeat) return false
  return mac || e.key.toLowerCase() === 's'
}
