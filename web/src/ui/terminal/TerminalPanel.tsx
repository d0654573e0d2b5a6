import { TerminalIcon } from '../common/icons.tsx'
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { EXTRA_KEYS, extraKeyBytes, withCtrl, type ExtraKey } from '../../core/terminal/extraKeys.ts'
import type { TerminalSession, Terminals } from '../../core/terminal/Terminals.ts'
import { useMediaQuery } from '../hooks/useMediaQuery.ts'
import './terminal.css'
import { tabTitle } from './tabTitle.ts'
import type { TerminalScheme } from './theme.ts'
import { TerminalView } from './TerminalView.tsx'
import { useFocusContext } from '../commands/hooks.ts'
import type { FocusRequest } from './TerminalView.tsx'

export interface TerminalPanelProps {
  readonly terminals: Terminals
  /// Opens a shell (e.g. `session.openShell`). When it returns a promise, the panel shows progress until it settles
  /// and the error if it rejects; the new tab takes focus.
  readonly onNewShell: () => void | Promise<unknown>
  /// The app's colour scheme (`useColorScheme()`); the terminal's colours follow it.
  readonly theme: TerminalScheme
  /// Changes when the person asks for the terminal (Ctrl+`): the active one takes focus, or a shell opens.
  readonly focusRequest?: number
}

/// Where the on-screen keyboard lacks Esc, Tab, Ctrl and the arrows.
const EXTRA_KEYS_QUERY = '(pointer: coarse), (max-width: 600px)'

/// Terminal tabs over one xterm per session. Tabs: click to switch, ×, middle-click or Delete to close (the process
/// is killed), + for a new shell. Keys: Ctrl+C copies when text is selected and interrupts otherwise; Ctrl+Shift+C
/// copies; Ctrl+V / Ctrl+Shift+V / Shift+Insert paste; F5, Shift+F5 and Ctrl+(Shift+)` go to the workbench.
export function TerminalPanel({ terminals, onNewShell, theme, focusRequest = 0 }: TerminalPanelProps) {
  const { sessions, activeId } = useSyncExternalStore(terminals.store.subscribe, terminals.store.get)
  // Focus moves only on the user's request (a tab click, a new shell), never because the run button opened a tab.
  const [focus, setFocus] = useState<FocusRequest>({ id: -1, token: 0 })
  const focusSession = (id: number) => setFocus((f) => ({ id, token: f.token + 1 }))
  // The newest session id when + was pressed: the first session after it is the new shell.
  const awaitingShell = useRef<number | undefined>(undefined)
  const [opening, setOpening] = useState(false)
  const [openError, setOpenError] = useState<string | undefined>()
  // `terminalFocus`: keys pressed in a terminal are the shell's unless bound there (Ctrl+C, Ctrl+G, Alt+W reach it);
  // `terminalPanelFocus`: Ctrl+` from anywhere in the panel hides it.
  const panelRef = useRef<HTMLElement>(null)
  const bodyRef = useRef<HTMLDivElement>(null)
  useFocusContext(bodyRef, 'terminalFocus')
  useFocusContext(panelRef, 'terminalPanelFocus')

  useEffect(() => {
    const since = awaitingShell.current
    const fresh = since === undefined ? undefined : sessions.find((s) => s.id > since)
    if (!fresh) return
    awaitingShell.current = undefined
    focusSession(fresh.id)
  }, [sessions])

  const newShell = () => {
    setOpenError(undefined)
    awaitingShell.current = sessions.reduce((max, s) => Math.max(max, s.id), 0)
    let result: void | Promise<unknown>
    try {
      result = onNewShell()
    } catch (err) {
      awaitingShell.current = undefined
      setOpenError(describe(err))
      return
    }
    if (!result) return
    setOpening(true)
    result
      .catch((err: unknown) => {
        awaitingShell.current = undefined
        setOpenError(describe(err))
      })
      .finally(() => setOpening(false))
  }

  useEffect(() => {
    if (!focusRequest) return
    const { sessions, activeId } = terminals.store.get()
    if (activeId !== undefined && sessions.some((s) => s.id === activeId)) focusSession(activeId)
    else newShell()
    // Only a new request moves focus.
  }, [focusRequest]) // eslint-disable-line react-hooks/exhaustive-deps

  // The extra-keys row's sticky Ctrl: the next key typed on the on-screen keyboard goes out as Ctrl+key.
  const extraKeys = useMediaQuery(EXTRA_KEYS_QUERY)
  const [ctrl, setCtrl] = useState(false)
  const ctrlRef = useRef(false)
  ctrlRef.current = ctrl
  const filterInput = useCallback((data: string) => {
    if (!ctrlRef.current) return data
    ctrlRef.current = false
    setCtrl(false)
    return withCtrl(data)
  }, [])
  const active = sessions.find((s) => s.id === activeId)
  const pressExtraKey = (key: ExtraKey, applicationCursor: boolean) => {
    if (!active || active.exitCode !== undefined) return
    if (key === 'ctrl') {
      setCtrl((c) => !c)
      return
    }
    active.write(extraKeyBytes(key, { ctrl: ctrlRef.current, applicationCursor }))
    setCtrl(false)
  }

  const activate = (id: number) => {
    terminals.activate(id)
    focusSession(id)
  }

  return (
    <section className="term-panel" data-testid="terminal.panel" data-scheme={theme} aria-label="Terminal" ref={panelRef}>
      <div className="term-bar">
        <div className="term-tabs" role="tablist" aria-label="Terminals">
          {sessions.map((s) => (
            <TerminalTab key={s.id} session={s} active={s.id === activeId} onActivate={activate} onClose={(id) => terminals.close(id)} />
          ))}
        </div>
        <button
          type="button"
          className="term-icon-button"
          data-testid="terminal.new"
          aria-label="New terminal"
          title="New terminal (Ctrl+Shift+`)"
          onClick={newShell}
          disabled={opening}
          aria-busy={opening}
        >
          {opening ? <span className="spinner" aria-hidden="true" /> : <PlusIcon />}
        </button>
      </div>
      {openError && (
        <div className="term-error" role="alert" data-testid="terminal.error">
          <span>Could not open a terminal: {openError}</span>
          <button type="button" className="term-text-button" onClick={() => setOpenError(undefined)}>
            Dismiss
          </button>
        </div>
      )}
      {extraKeys && active && (
        <ExtraKeysRow ctrl={ctrl} disabled={active.exitCode !== undefined} onPress={(key) => pressExtraKey(key, applicationCursor(active.id))} />
      )}
      <div className="term-body" ref={bodyRef}>
        {sessions.map((s) => (
          <TerminalView
            key={s.id}
            session={s}
            terminals={terminals}
            active={s.id === activeId}
            exited={s.exitCode !== undefined}
            theme={theme}
            focus={focus}
            filterInput={filterInput}
          />
        ))}
        {sessions.length === 0 && (
          <div className="term-empty" data-testid="terminal.empty">
            <p className="term-empty-title">No terminal</p>
            <p className="term-empty-hint">
              <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>`</kbd> opens one.
            </p>
            <button type="button" className="term-button" data-testid="terminal.empty-new" onClick={newShell} disabled={opening}>
              {opening ? <span className="spinner" aria-hidden="true" /> : <PlusIcon />}
              {opening ? 'Opening…' : 'New terminal'}
            </button>
          </div>
        )}
      </div>
    </section>
  )
}

/// The xterm of session `id` is in application cursor mode (vim, less): its arrows send `ESC O x`.
function applicationCursor(id: number): boolean {
  return document.getElementById(`terminal-panel-${id}`)?.dataset.appCursor === 'true'
}

/// Keys an on-screen keyboard lacks, above the terminal on phones. They never take focus (pointerdown's default is
/// prevented), so the terminal keeps it and the on-screen keyboard stays up.
function ExtraKeysRow({ ctrl, disabled, onPress }: { ctrl: boolean; disabled: boolean; onPress: (key: ExtraKey) => void }) {
  return (
    <div className="term-extra-keys" role="toolbar" aria-label="Extra keys" data-testid="terminal.extra-keys">
      {EXTRA_KEYS.map(({ key, label, name }) => (
        <button
          key={key}
          type="button"
          className="term-extra-key"
          data-testid={`terminal.key-${key}`}
          aria-label={name}
          aria-pressed={key === 'ctrl' ? ctrl : undefined}
          title={key === 'ctrl' ? 'Ctrl: the next key you type is sent with Ctrl (Ctrl, then c interrupts)' : undefined}
          disabled={disabled}
          tabIndex={-1}
          onPointerDown={(e) => e.preventDefault()}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPress(key)}
        >
          {label}
        </button>
      ))}
    </div>
  )
}

interface TerminalTabProps {
  readonly session: TerminalSession
  readonly active: boolean
  readonly onActivate: (id: number) => void
  readonly onClose: (id: number) => void
}

function TerminalTab({ session, active, onActivate, onClose }: TerminalTabProps) {
  const code = session.exitCode
  const title = tabTitle(session.title)
  return (
    <div
      className="term-tab"
      role="none"
      data-testid="terminal.tab"
      data-active={active}
      data-exited={code !== undefined}
      onAuxClick={(e) => {
        if (e.button === 1) {
          e.preventDefault()
          onClose(session.id)
        }
      }}
    >
      <button
        type="button"
        role="tab"
        id={`terminal-tab-${session.id}`}
        aria-selected={active}
        aria-controls={`terminal-panel-${session.id}`}
        className="term-tab-title"
        title={code === undefined ? session.title : session.stopped ? `${session.title} — stopped` : `${session.title} — exited with code ${code}`}
        onClick={() => onActivate(session.id)}
        onKeyDown={(e) => {
          if (e.key === 'Delete') {
            e.preventDefault()
            onClose(session.id)
          }
        }}
      >
        <TerminalIcon className="term-tab-icon" />
        <span className="term-tab-label">{title}</span>
        {code !== undefined && (
          // A process stopped on request (Stop, Restart) ended as asked: not a red failure.
          <span className="term-tab-exit" data-ok={code === 0 || session.stopped} data-testid="terminal.exited">
            {session.stopped && code !== 0 ? 'stopped' : code === 0 ? 'done' : `exit ${code}`}
          </span>
        )}
      </button>
      {/* A pointer target only, as on editor tabs: a tab list holds tabs and nothing else, so keyboard users close
          the focused tab with Delete. */}
      <span className="term-tab-close" aria-hidden="true" title="Close (kills the process)" data-testid="terminal.tab-close" onClick={() => onClose(session.id)}>
        <CloseIcon />
      </span>
    </div>
  )
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function PlusIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" fill="none" />
    </svg>
  )
}

function CloseIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="m4.5 4.5 7 7m0-7-7 7" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" fill="none" />
    </svg>
  )
}
