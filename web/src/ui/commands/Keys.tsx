import { chordKeys, type Chord, type Platform } from '../../core/commands/index.ts'
import './commands.css'

/// A keybinding as keycaps: `Ctrl` `Shift` `P`, a chord's strokes spaced apart. `label` is what a screen reader
/// reads (`Ctrl+Shift+P`).
export function Keys({ chord, platform, label }: { chord: Chord; platform: Platform; label: string }) {
  return (
    <span className="keys" aria-label={label} role="img">
      {chordKeys(chord, platform).map((stroke, i) => (
        <span className="keys-stroke" key={i}>
          {stroke.map((k) => (
            <kbd className="key" key={k}>
              {k}
            </kbd>
          ))}
        </span>
      ))}
    </span>
  )
}
