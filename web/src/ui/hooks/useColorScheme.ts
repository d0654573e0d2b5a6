import type { Appearance, ColorScheme } from '../../core/appearance/appearance.ts'
import { useServices } from '../services.tsx'
import { useStore } from './useStore.ts'

export type { ColorScheme }

/// The colour scheme shown now (Settings → Appearance, or the system's for "system"); re-renders when it changes.
export function useColorScheme(): ColorScheme {
  return useStore(useServices().colorScheme)
}

/// The appearance settings (theme choice, font sizes); re-renders when they change.
export function useAppearance(): Appearance {
  return useStore(useServices().appearance)
}
