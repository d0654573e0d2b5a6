import { Suspense, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { ReactNode } from 'react'
import type { Context } from '../../core/commands/index.ts'
import { Store } from '../../core/store.ts'
import { preloadable } from '../common/preloadable.ts'
import { useServices } from '../services.tsx'
import { provideAppContext } from './appContext.ts'
import { useCommandHandler } from './hooks.ts'
import { KeydownLayer, type ChordStatus } from './KeydownLayer.ts'
import { CLOSE_QUICK_OPEN, SHOW_COMMANDS } from './workbenchCommands.ts'
// The palette's frame is quick open's; the loading state shows in it before the palette's chunk is there.
import '../quickopen/quickOpen.css'
import './commands.css'

const CommandPalette = preloadable(() => import('./CommandPalette.tsx').then((m) => m.CommandPalette))

interface PaletteState {
  readonly context: Context
  readonly previous: HTMLElement | null
}

const NO_STATUS = new Store<ChordStatus>(undefined)

/// The app's command layer, mounted once by App: the one keydown listener, the page's context keys, the command
/// palette and the commands that open it and Settings. Returns what it renders (the palette while open, the chord
/// status).
export function useAppCommands({ openSettings }: { openSettings: (section: 'general' | 'shortcuts') => void }): ReactNode {
  const { commands, contextKeys } = useServices()
  const [layer, setLayer] = useState<KeydownLayer>()
  const [palette, setPalette] = useState<PaletteState>()
  const paletteRef = useRef(palette)
  paletteRef.current = palette

  useEffect(() => {
    const created = new KeydownLayer(window, commands, contextKeys)
    const context = provideAppContext(contextKeys, window, commands.platform)
    setLayer(created)
    // The palette's chunk is small; fetched when the page is idle, so F1 opens it at once.
    const idle = setTimeout(() => void CommandPalette.preload(), 2000)
    return () => {
      clearTimeout(idle)
      context()
      created.dispose()
    }
  }, [commands, contextKeys])

  const open = useCallback(() => {
    if (paletteRef.current) return
    setPalette({ context: contextKeys.snapshot(), previous: document.activeElement instanceof HTMLElement ? document.activeElement : null })
  }, [contextKeys])
  useCommandHandler(SHOW_COMMANDS, () => {
    if (paletteRef.current) return
    // Quick open gives its place (and gives focus back) first; then the palette remembers where focus was.
    if (commands.tryExecute(CLOSE_QUICK_OPEN, contextKeys)) setTimeout(open, 0)
    else open()
  })
  useCommandHandler('workbench.action.openSettings', () => openSettings('general'))
  useCommandHandler('workbench.action.openGlobalKeybindings', () => openSettings('shortcuts'))

  const close = useCallback((run?: () => unknown) => {
    const previous = paletteRef.current?.previous
    setPalette(undefined)
    paletteRef.current = undefined
    if (previous?.isConnected) previous.focus()
    if (!run) return
    try {
      const result = run()
      if (result instanceof Promise) result.catch((err: unknown) => console.error('command failed', err))
    } catch (err) {
      console.error('command failed', err)
    }
  }, [])

  const status = useSyncExternalStore((layer?.status ?? NO_STATUS).subscribe, (layer?.status ?? NO_STATUS).get)
  return (
    <>
      {palette && (
        <Suspense fallback={<PaletteLoading />}>
          <CommandPalette context={palette.context} onClose={close} />
        </Suspense>
      )}
      {status && (
        <div className="chord-status" role="status" data-testid="commands.chord">
          {status.kind === 'waiting' ? `(${status.first}) was pressed. Waiting for the second key of the chord…` : `The key combination (${status.keys}) is not a command.`}
        </div>
      )}
    </>
  )
}

function PaletteLoading() {
  return (
    <div className="quickopen-backdrop" data-testid="palette.loading">
      <div className="quickopen palette-loading" role="status">
        <span className="spinner" aria-hidden="true" /> Loading commands…
      </div>
    </div>
  )
}
