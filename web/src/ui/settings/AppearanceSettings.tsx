import { useEffect, useId, useState } from 'react'
import { fontSizeFromInput, MAX_FONT_SIZE, MIN_FONT_SIZE } from '../../core/appearance/appearance.ts'
import type { Appearance, ThemeChoice } from '../../core/appearance/appearance.ts'
import { useAppearance } from '../hooks/useColorScheme.ts'
import { isMacPlatform } from '../terminal/keys.ts'
import { useServices } from '../services.tsx'
import './settings.css'

const THEMES: ReadonlyArray<{ value: ThemeChoice; label: string }> = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

/// Theme (system, light, dark) and font sizes for this device. Every change applies at once, everywhere (no Save).
export function AppearanceSettings() {
  const services = useServices()
  const appearance = useAppearance()
  const mod = isMacPlatform(navigator) ? '⌘' : 'Ctrl'
  const set = (change: Partial<Appearance>) => services.setAppearance({ ...services.appearance.get(), ...change })
  return (
    <section className="settings-section" aria-labelledby="settings-appearance" data-testid="settings.appearance">
      <h3 id="settings-appearance">Appearance</h3>
      <fieldset className="theme-field" data-testid="settings.theme">
        <legend>Theme</legend>
        <div className="segmented">
          {THEMES.map((t) => (
            <label key={t.value}>
              <input
                type="radio"
                name="theme"
                value={t.value}
                checked={appearance.theme === t.value}
                onChange={() => set({ theme: t.value })}
                data-testid={`settings.theme-${t.value}`}
              />
              <span>{t.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="font-sizes">
        <FontSizeField label="Editor font size" value={appearance.editorFontSize} onChange={(editorFontSize) => set({ editorFontSize })} testId="settings.editor-font" />
        <FontSizeField label="Terminal font size" value={appearance.terminalFontSize} onChange={(terminalFontSize) => set({ terminalFontSize })} testId="settings.terminal-font" />
      </div>
      <p className="form-hint">
        Applies at once, on this device. In the editor, <kbd>{mod}</kbd>+<kbd>=</kbd> and <kbd>{mod}</kbd>+<kbd>-</kbd> change its font size,{' '}
        <kbd>{mod}</kbd>+<kbd>0</kbd> resets it.
      </p>
    </section>
  )
}

/// A size in pixels: applied as soon as what is typed is a size in range (typing "16" passes through "1", which is
/// not applied); on leaving the field, what was typed is rounded into range or put back.
function FontSizeField({ label, value, onChange, testId }: { label: string; value: number; onChange: (size: number) => void; testId: string }) {
  const [text, setText] = useState(String(value))
  const hintId = useId()
  // A change made elsewhere (editor zoom) shows here.
  useEffect(() => setText(String(value)), [value])
  const inRange = (n: number | undefined) => n !== undefined && String(n) === text.trim()
  return (
    <label className="field font-size-field">
      <span>{label}</span>
      <span className="font-size-input">
        <input
          type="number"
          inputMode="numeric"
          min={MIN_FONT_SIZE}
          max={MAX_FONT_SIZE}
          step={1}
          value={text}
          aria-describedby={hintId}
          aria-invalid={inRange(fontSizeFromInput(text)) ? undefined : true}
          onChange={(e) => {
            setText(e.target.value)
            const n = fontSizeFromInput(e.target.value)
            if (n !== undefined && String(n) === e.target.value.trim()) onChange(n)
          }}
          onBlur={() => {
            const n = fontSizeFromInput(text)
            if (n === undefined) setText(String(value))
            else {
              setText(String(n))
              onChange(n)
            }
          }}
          data-testid={testId}
        />
        <span aria-hidden="true">px</span>
      </span>
      <span className="form-hint" id={hintId}>
        {MIN_FONT_SIZE}–{MAX_FONT_SIZE} px
      </span>
    </label>
  )
}
