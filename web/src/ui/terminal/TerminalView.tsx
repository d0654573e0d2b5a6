import { FitAddon } from '@xterm/addon-fit'
import { WebLinksAddon } from '@xterm/addon-web-links'
import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import { useEffect, useRef } from 'react'
import type { TerminalSession, Terminals } from '../../core/terminal/Terminals.ts'
import { useAppearance } from '../hooks/useColorScheme.ts'
import { copyText } from '../common/clipboard.ts'
import { browserClock, debounceToFrame } from './frameDebounce.ts'
import { isMacPlatform, terminalKeyAction } from './keys.ts'
import { terminalFont, terminalTheme } from './theme.ts'
import type { TerminalScheme } from './theme.ts'

export interface TerminalViewProps {
  readonly session: TerminalSession
  readonly terminals: Terminals
  readonly active: boolean
  readonly exited: boolean
  readonly theme: TerminalScheme
  /// The latest focus request; the view takes focus when a new one names its session.
  readonly focus: FocusRequest
  /// Turns what is typed into what is sent (the extra keys' sticky Ctrl); identity when absent.
  readonly filterInput?: (data: string) => string
}

/// "Focus session `id`"; `token` changes with every request, so the same tab can be asked twice.
export interface FocusRequest {
  readonly id: number
  readonly token: number
}

const RESIZE_QUIET_MS = 40

/// One xterm bound to one session, alive as long as its tab. Inactive views stay laid out (hidden with
/// `visibility`), so they keep their buffer, keep fitting the pane and their processes see the right size.
export function TerminalView({ session, terminals, active, exited, theme, focus, filterInput }: TerminalViewProps) {
  const host = useRef<HTMLDivElement>(null)
  const term = useRef<Terminal | null>(null)
  const activeRef = useRef(active)
  activeRef.current = active
  const themeRef = useRef(theme)
  themeRef.current = theme
  const filterRef = useRef(filterInput)
  filterRef.current = filterInput
  const { terminalFontSize } = useAppearance()
  const fontSizeRef = useRef(terminalFontSize)
  fontSizeRef.current = terminalFontSize
  const refit = useRef<() => void>(() => {})

  useEffect(() => {
    const el = host.current!
    const css = (name: string) => getComputedStyle(el).getPropertyValue(name)
    const t = new Terminal({
      scrollback: 10_000,
      fontFamily: terminalFont(css),
      fontSize: fontSizeRef.current,
      lineHeight: 1.2,
      cursorBlink: true,
      // Keeps yellow-on-white and similar readable, as VS Code does.
      minimumContrastRatio: 4.5,
      theme: terminalTheme(themeRef.current, css),
    })
    const fit = new FitAddon()
    t.loadAddon(fit)
    t.loadAddon(new WebLinksAddon((event, uri) => openLink(event, uri)))
    t.open(el)
    term.current = t

    const mac = isMacPlatform(navigator)
    t.attachCustomKeyEventHandler((e) => {
      const action = terminalKeyAction(e, { hasSelection: t.hasSelection(), mac })
      if (action === 'pass') return true
      if (action === 'copy' && e.type === 'keydown') {
        e.preventDefault()
        const text = t.getSelection()
        if (text) void copyText(text, () => t.focus()).then((ok) => ok && t.clearSelection())
      }
      // `paste`: returning false without preventDefault lets the browser fire `paste`, which xterm handles.
      // `workbench`: not handled here, so the key bubbles to the page's shortcuts.
      return false
    })

    let last = { cols: 0, rows: 0 }
    const measure = () => {
      if (!el.clientWidth || !el.clientHeight) return // the pane is display:none (e.g. another pane on a phone)
      fit.fit()
      const size = { cols: t.cols, rows: t.rows }
      if (size.cols === last.cols && size.rows === last.rows) return
      last = size
      session.resize(size)
      if (activeRef.current) terminals.setSize(size)
    }
    measure()
    refit.current = measure
    const resize = debounceToFrame(measure, RESIZE_QUIET_MS, browserClock())
    const observer = new ResizeObserver(() => resize.schedule())
    observer.observe(el)

    const detach = session.attach((data) => t.write(data))
    const input = t.onData((data) => session.write(filterRef.current ? filterRef.current(data) : data))
    // The extra-keys row sends arrows as the program expects them (vim and less switch the cursor keys' mode).
    const modes = t.onWriteParsed(() => {
      const app = String(t.modes.applicationCursorKeysMode)
      if (el.dataset.appCursor !== app) el.dataset.appCursor = app
    })
    return () => {
      observer.disconnect()
      resize.cancel()
      detach()
      input.dispose()
      modes.dispose()
      term.current = null
      refit.current = () => {}
      t.dispose()
    }
  }, [session, terminals])

  useEffect(() => {
    const t = term.current
    if (!t || !host.current) return
    const el = host.current
    t.options.theme = terminalTheme(theme, (name) => getComputedStyle(el).getPropertyValue(name))
  }, [theme])

  // Settings → Appearance: the new size, then as many columns and rows as now fit (the process sees them too).
  useEffect(() => {
    const t = term.current
    if (!t || t.options.fontSize === terminalFontSize) return
    t.options.fontSize = terminalFontSize
    refit.current()
  }, [terminalFontSize])

  useEffect(() => {
    const t = term.current
    if (!t) return
    t.options.disableStdin = exited
    t.options.cursorBlink = !exited
    t.options.cursorInactiveStyle = exited ? 'none' : 'outline'
  }, [exited])

  useEffect(() => {
    if (active) terminals.setSize({ cols: term.current?.cols ?? 80, rows: term.current?.rows ?? 24 })
  }, [active, terminals])

  const focusMe = focus.id === session.id
  useEffect(() => {
    if (focusMe) term.current?.focus()
  }, [focusMe, focus.token])

  return (
    <div
      ref={host}
      className="term-view"
      role="tabpanel"
      id={`terminal-panel-${session.id}`}
      aria-labelledby={`terminal-tab-${session.id}`}
      data-testid={active ? 'terminal.view' : undefined}
      data-session={session.id}
      data-active={active}
      aria-hidden={!active}
    />
  )
}

/// Links printed in the terminal open in a new tab that cannot reach back into the IDE.
function openLink(event: MouseEvent, uri: string) {
  event.preventDefault()
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return
  window.open(url.toString(), '_blank', 'noopener,noreferrer')
}
