/// The name of a new shell tab, as VS Code numbers its terminals: the shell's own name for the first ("sh"), then
/// "sh 2", "sh 3"…, taking the lowest number no open tab holds (closing "sh 2" frees it for the next one).
/// `command` is the shell's program (`/bin/sh`, `jsh`); `taken` the titles of the open tabs.
export function shellName(command: string, taken: readonly string[]): string {
  const base = shellBase(command)
  const used = new Set(taken)
  if (!used.has(base)) return base
  for (let n = 2; ; n++) {
    const name = `${base} ${n}`
    if (!used.has(name)) return name
  }
}

/// `/usr/bin/bash` → `bash`; a blank command is "terminal".
function shellBase(command: string): string {
  const c = command.trim()
  const name = c.slice(c.lastIndexOf('/') + 1)
  return name || 'terminal'
}
