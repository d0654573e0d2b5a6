import { useMemo } from 'react'
import { encode } from 'uqr'
import { qrPath } from './qrPath.ts'

/// A QR code of `text`, drawn here as SVG (no network, no inline script). Always dark on light with a quiet zone, as
/// phone cameras need, whatever the color scheme.
export function QrCode({ text, label, size = 168 }: { text: string; label: string; size?: number }) {
  const { path, n } = useMemo(() => {
    const qr = encode(text, { ecc: 'M', border: 2 })
    return { path: qrPath(qr.data), n: qr.size }
  }, [text])
  return (
    <svg className="qr-code" viewBox={`0 0 ${n} ${n}`} width={size} height={size} role="img" aria-label={label} shapeRendering="crispEdges" data-testid="share.qr">
      <rect width={n} height={n} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  )
}
