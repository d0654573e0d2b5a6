import type { CSSProperties } from 'react'
import { badgeColors } from './fileIcons.ts'
import type { FileIcon as Icon, IconGlyph } from './fileIcons.ts'
import './fileIcon.css'

const GLYPHS: Record<IconGlyph, string> = {
  file: 'M4 1.5h5l3.5 3.5v9.5h-8.5z M9 1.5v3.5h3.5',
  image: 'M2.5 3h11v10h-11z M2.5 11l3.5-3.5 2.5 2.5 1.5-1.5 3.5 3.5 M10.5 6.3a.8.8 0 1 0 0 .01',
  lock: 'M4 7.5h8v6.5h-8z M5.5 7.5v-2a2.5 2.5 0 0 1 5 0v2',
  folder: 'M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z',
  'folder-open': 'M1.5 13.5v-10h4.5l1.5 1.5h6v2 M1.5 13.5l2-6h12l-2 6z',
}

/// A 16×16 file-type icon: a coloured badge or a drawn glyph. Decorative (the name is next to it).
export function FileIcon({ icon }: { icon: Icon }) {
  if (icon.badge) {
    const { light, dark } = badgeColors(icon)
    return (
      <span className="file-icon file-icon-badge" style={{ '--icon-light': light, '--icon-dark': dark } as CSSProperties} data-len={icon.badge.length} aria-hidden="true">
        {icon.badge}
      </span>
    )
  }
  return (
    <svg className="file-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" style={{ color: icon.color }}>
      <path d={GLYPHS[icon.glyph ?? 'file']} fill="none" stroke="currentColor" strokeWidth="1.1" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  )
}
