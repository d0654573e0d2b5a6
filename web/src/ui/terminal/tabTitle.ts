/// A terminal tab's label: a shell's path becomes its name (`/bin/bash` → `bash`); commands such as `npm run dev`
/// stay as they are.
export function tabTitle(title: string): string {
  const t = title.trim()
  if (!t) return 'terminal'
  return /\s/.test(t) || !t.includes('/') ? t : t.slice(t.lastIndexOf('/') + 1) || t
}
