/// Clipboard access with the browser quirks in one place (the terminal, Copy buttons). Pasting needs nothing here:
/// with the paste keys, the terminal lets the browser fire its own `paste` event, which xterm reads (no permission
/// prompt, works on plain http too).

/// Copies `text`. Uses the async Clipboard API, and falls back to `execCommand('copy')` on a scratch textarea where
/// that API is missing or refused (plain-http origins other than localhost, older Safari). `restoreFocus` is
/// called afterwards because the fallback moves focus.
export async function copyText(text: string, restoreFocus?: () => void): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Refused (no permission or no user activation left): try the old way.
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.cssText = 'position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;'
  document.body.append(area)
  area.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  restoreFocus?.()
  return ok
}

