/// WCAG 2 colour contrast on sRGB hex colours. Pure: no DOM, no React.

export type Rgb = readonly [r: number, g: number, b: number]

/// `#rgb` or `#rrggbb` (either case) as 0–255 channels.
export function parseHex(hex: string): Rgb {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex)
  if (!m) throw new RangeError(`Not a hex colour: "${hex}" (expected #rgb or #rrggbb)`)
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as unknown as Rgb
}

export function toHex(rgb: Rgb): string {
  return '#' + rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')
}

/// `a` moved a fraction `t` (0–1) of the way to `b`, channel by channel (what CSS `color-mix(in srgb, …)` does).
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

/// Relative luminance (WCAG 2.x).
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// The contrast ratio of two colours, 1 to 21.
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/// `color`, or the closest shade of it toward black (`'darker'`) or white (`'lighter'`) that reaches `ratio`
/// against every one of `backgrounds`, so a hue stays recognisable while its text stays readable.
export function readableShade(color: string, backgrounds: readonly string[], ratio: number, direction: 'darker' | 'lighter'): string {
  const base = parseHex(color)
  const bgs = backgrounds.map(parseHex)
  const target: Rgb = direction === 'darker' ? [0, 0, 0] : [255, 255, 255]
  for (let step = 0; step <= 100; step++) {
    const candidate = parseHex(toHex(mix(base, target, step / 100)))
    if (bgs.every((bg) => contrast(candidate, bg) >= ratio)) return toHex(candidate)
  }
  throw new RangeError(`No shade of ${color} reaches ${ratio}:1 against ${backgrounds.join(', ')}`)
}
