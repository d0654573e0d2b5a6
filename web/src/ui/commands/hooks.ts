import { useEffect, useRef, useSyncExternalStore } from 'react'
import type { RefObject } from 'react'
import type { CommandHandler, ContextValue } from '../../core/commands/index.ts'
import { useServices } from '../services.tsx'

/// Gives a declared command its behaviour while the component is mounted (and `run` is given). The latest `run` is
/// called, so it may close over state without re-registering.
export function useCommandHandler(id: string, run: CommandHandler | undefined): void {
  const { commands } = useServices()
  const latest = useRef(run)
  latest.current = run
  const active = run !== undefined
  useEffect(() => {
    if (!active) return
    return commands.registerHandler(id, (args) => latest.current?.(args))
  }, [commands, id, active])
}

/// `key` holds while the component is mounted and `active` (a dialog open, a popover shown).
export function useContextClaim(key: string, active = true): void {
  const { contextKeys } = useServices()
  useEffect(() => (active ? contextKeys.claim(key) : undefined), [contextKeys, key, active])
}

/// `key` reads what `read` returns at the moment it is asked, while the component is mounted.
export function useContextValue(key: string, read: () => ContextValue): void {
  const { contextKeys } = useServices()
  const latest = useRef(read)
  latest.current = read
  useEffect(() => contextKeys.provide(key, () => latest.current()), [contextKeys, key])
}

/// `key` holds while focus is inside the element: how a view says "keys pressed here are mine" (terminalFocus,
/// treeFocus…) without anyone probing the DOM for its class names.
export function useFocusContext(ref: RefObject<Element | null>, key: string): void {
  useContextValue(key, () => {
    const el = ref.current
    return !!el && el.contains(el.ownerDocument.activeElement)
  })
}

/// The first keybinding of a command as a person reads it (`Ctrl+Shift+P`), for tooltips; undefined when unbound.
export function useKeybindingLabel(id: string): string | undefined {
  const { commands } = useServices()
  useSyncExternalStore(commands.version.subscribe, commands.version.get)
  return commands.keybindingsFor(id)[0]?.label
}

/// Whether a command has a handler now (its owner is mounted), following registrations: for buttons outside the
/// owner that run it (the top bar's Assistant button).
export function useCommandAvailable(id: string): boolean {
  const { commands, contextKeys } = useServices()
  useSyncExternalStore(commands.version.subscribe, commands.version.get)
  return commands.isEnabled(id, contextKeys)
}
