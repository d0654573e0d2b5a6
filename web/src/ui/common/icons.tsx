/// Inline SVG icons used by more than one component. Decorative: hidden from assistive technology (the button
/// around each one carries the name).

interface IconProps {
  /// Width and height in CSS pixels.
  size?: number
  className?: string
}

const svgProps = (size: number, className: string | undefined) => ({
  viewBox: '0 0 16 16',
  width: size,
  height: size,
  'aria-hidden': true,
  focusable: false,
  ...(className ? { className } : {}),
})

/// A circular arrow: run again, restart, reload.
export function RefreshIcon({ size = 14, className }: IconProps) {
  return (
    <svg {...svgProps(size, className)}>
      <path d="M12.5 8a4.5 4.5 0 1 1-1.3-3.2M12.5 2.5v2.8H9.7" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}

/// A prompt: a terminal.
export function TerminalIcon({ size = 14, className }: IconProps) {
  return (
    <svg {...svgProps(size, className)}>
      <path d="m3 4.5 3.5 3.5L3 11.5M8 12h5" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" fill="none" />
    </svg>
  )
}

/// Open in a new tab (an arrow out of a box).
export function OpenIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M9 3h4v4M13 3 7.5 8.5M11 9.5V12a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1h2.5" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}
