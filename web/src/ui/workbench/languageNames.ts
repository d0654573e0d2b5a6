/// The name VS Code's status bar gives a Monaco language id: `typescript` → "TypeScript", `plaintext` → "Plain Text".
/// Ids with no entry are capitalized.
const NAMES: Record<string, string> = {
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  json: 'JSON',
  css: 'CSS',
  scss: 'SCSS',
  less: 'Less',
  html: 'HTML',
  markdown: 'Markdown',
  mdx: 'MDX',
  yaml: 'YAML',
  ini: 'Ini',
  shell: 'Shell Script',
  python: 'Python',
  plaintext: 'Plain Text',
  dockerfile: 'Dockerfile',
  xml: 'XML',
  sql: 'SQL',
  graphql: 'GraphQL',
  cpp: 'C++',
  csharp: 'C#',
  fsharp: 'F#',
  php: 'PHP',
  hcl: 'HCL',
  wgsl: 'WGSL',
  sol: 'Solidity',
  bat: 'Batch',
  powershell: 'PowerShell',
}

export function languageName(id: string): string {
  return NAMES[id] ?? (id ? id[0]!.toUpperCase() + id.slice(1) : 'Plain Text')
}
