/// Pure: an SVG path drawing a QR code's dark modules, one `M x y h w v1 h-w z` per horizontal run, so a 33 × 33
/// code is a few hundred short commands rather than a thousand rects.
export function qrPath(modules: readonly (readonly boolean[])[]): string {
  const parts: string[] = []
  modules.forEach((row, y) => {
    let x = 0
    while (x < row.length) {
      if (!row[x]) {
        x++
        continue
      }
      const start = x
      while (x < row.length && row[x]) x++
      parts.push(`M${start} ${y}h${x - start}v1h-${x - start}z`)
    }
  })
  return parts.join('')
}
