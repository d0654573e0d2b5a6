import type { ReactNode } from 'react'

export type StatusTone = 'ok' | 'warn' | 'error' | 'pending'

export interface StatusPillProps {
  readonly tone: StatusTone
  readonly testId: string
  readonly title?: string
  /// `data-*` attributes that tests and styles read, e.g. `{ isolated: 'true' }`.
  readonly data?: Readonly<Record<string, string>>
  readonly children: ReactNode
}

/// A compact status indicator for the top bar: a coloured dot and a short label.
export function StatusPill({ tone, testId, title, data = {}, children }: StatusPillProps) {
  const dataAttributes = Object.fromEntries(Object.entries(data).map(([key, value]) => [`data-${key}`, value]))
  return (
    <span className="status-pill" data-tone={tone} data-testid={testId} title={title} {...dataAttributes}>
      <span className="status-dot" aria-hidden="true" />
      <span className="status-label">{children}</span>
    </span>
  )
}
