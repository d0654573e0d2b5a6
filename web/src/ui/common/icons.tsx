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

/// A four-pointed spark: the assistant.
export function SparkIcon({ size = 14, className }: IconProps) {
  return (
    <svg {...svgProps(size, className)}>
      <path d="M8 1.8c.4 3.1 1.4 4.7 4.9 6.2-3.5 1.5-4.5 3.1-4.9 6.2-.4-3.1-1.4-4.7-4.9-6.2C6.6 6.5 7.6 4.9 8 1.8Z" fill="currentColor" />
    </svg>
  )
}

/// An arrow leaving a box: share.
export function ShareIcon({ size = 14, className }: IconProps) {
  return (
    <svg {...svgProps(size, className)}>
      <path d="M8 10V2.5M5.2 5.2 8 2.4l2.8 2.8M5 7.5H3.5v6h9v-6H11" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
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

/// A circled cross: an error.
export function ErrorIcon({ size = 14, className }: IconProps) {
  return (
    <svg {...svgProps(size, className)}>
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="m5.8 5.8 4.4 4.4m0-4.4-4.4 4.4" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
    </svg>
  )
}

/// A triangle with an exclamation mark: a warning.
export function WarningIcon({ size = 14, className }: IconProps) {
  return (
    <svg {...svgProps(size, className)}>
      <path d="M8 2.2 14.3 13.3H1.7Z" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
      <path d="M8 6.4v3.2" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
      <circle cx="8" cy="11.4" r="0.8" fill="currentColor" />
    </svg>
  )
}

/// A circled "i": information.
export function InfoIcon({ size = 14, className }: IconProps) {
  return (
    <svg {...svgProps(size, className)}>
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="M8 7.2v4" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
      <circle cx="8" cy="4.9" r="0.85" fill="currentColor" />
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

export function ChevronIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M6 4l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}

/// One match replaced: a text cursor over an arrow into a box.
export function ReplaceIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M2.5 3.5h5M2.5 6h3" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" fill="none" />
      <path d="M4 8.5v2a1.5 1.5 0 0 0 1.5 1.5H8M6.8 10.7 8.2 12l-1.4 1.3" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" fill="none" />
      <rect x="9.5" y="9.5" width="5" height="5" rx="1" stroke="currentColor" strokeWidth="1.3" fill="none" />
    </svg>
  )
}

/// Every match replaced: the same, with two boxes.
export function ReplaceAllIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M1.5 2.5h5M1.5 5h3" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" fill="none" />
      <path d="M3 7.5v2A1.5 1.5 0 0 0 4.5 11H6M4.8 9.7 6.2 11l-1.4 1.3" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" fill="none" />
      <rect x="8" y="8" width="4.5" height="4.5" rx="1" stroke="currentColor" strokeWidth="1.3" fill="none" />
      <path d="M10 6h4.5v4.5" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" fill="none" />
    </svg>
  )
}
