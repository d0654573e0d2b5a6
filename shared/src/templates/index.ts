/// Starting points for new projects, as plain file trees (path → text). The server seeds a new project's doc from
/// them; the web app offers them on the dashboard.
export const TEMPLATE_IDS = ['node-script', 'node-server', 'vite-react', 'vite-vanilla-ts'] as const
export type TemplateId = (typeof TEMPLATE_IDS)[number]

export interface Template {
  id: TemplateId
  title: string
  description: string
  files: Readonly<Record<string, string>>
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n'

const gitignore = 'node_modules\ndist\n.env\n'

const nodeScript: Template = {
  id: 'node-script',
  title: 'Node.js script',
  description: 'A plain Node.js program; reruns when you save.',
  files: {
    'package.json': json({
      name: 'node-script',
      private: true,
      type: 'module',
      scripts: { start: 'node index.js', dev: 'node --watch index.js' },
    }),
    'index.js': `import { greet } from './lib/greet.js'

console.log(greet('Slipway'))
console.log(\`Node \${process.version} on \${process.platform}\`)
`,
    'lib/greet.js': `export function greet(name) {
  return \`Hello, \${name}!\`
}
`,
    'README.md': '# Node.js script\n\n`npm run dev` runs `index.js` and runs it again whenever a file changes.\n',
    '.gitignore': gitignore,
  },
}

const nodeServer: Template = {
  id: 'node-server',
  title: 'Node.js HTTP server',
  description: 'node:http on port 3000; restarts on save.',
  files: {
    'package.json': json({
      name: 'node-server',
      private: true,
      type: 'module',
      scripts: { start: 'node server.js', dev: 'node --watch server.js' },
    }),
    'server.js': `import http from 'node:http'

const port = Number(process.env.PORT ?? 3000)

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
  res.end('<!doctype html><title>Hello</title><h1>Hello from Node.js</h1><p>Edit server.js and save.</p>')
})

server.listen(port, () => {
  console.log(\`Listening on http://localhost:\${port}\`)
})
`,
    'README.md': '# Node.js HTTP server\n\n`npm run dev` serves on port 3000 and restarts whenever `server.js` changes.\n',
    '.gitignore': gitignore,
  },
}

const viteReact: Template = {
  id: 'vite-react',
  title: 'Vite + React',
  description: 'React 19 with Vite and hot module replacement.',
  files: {
    'package.json': json({
      name: 'vite-react',
      private: true,
      type: 'module',
      scripts: { dev: 'vite', build: 'vite build', preview: 'vite preview' },
      dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0' },
      // The types make hover, completion and signature help work on React as they do in StackBlitz's template.
      devDependencies: { '@types/react': '^19.0.0', '@types/react-dom': '^19.0.0', '@vitejs/plugin-react': '^5.0.0', vite: '^7.0.0' },
    }),
    'vite.config.js': `import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  plugins: [react()],
})
`,
    'index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>Vite + React</title>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/src/main.jsx"></script>
  </body>
</html>
`,
    'src/main.jsx': `import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import App from './App.jsx'
import './index.css'

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
`,
    'src/App.jsx': `import { useState } from 'react'

export default function App() {
  const [count, setCount] = useState(0)
  return (
    <main>
      <h1>Vite + React</h1>
      <button onClick={() => setCount((c) => c + 1)}>count is {count}</button>
      <p>Edit <code>src/App.jsx</code> and save to see HMR.</p>
    </main>
  )
}
`,
    'src/index.css': `:root {
  font-family: system-ui, sans-serif;
  color-scheme: light dark;
}
main {
  max-width: 40rem;
  margin: 4rem auto;
  text-align: center;
}
button {
  font: inherit;
  padding: 0.5rem 1rem;
}
`,
    '.gitignore': gitignore,
  },
}

const viteVanillaTs: Template = {
  id: 'vite-vanilla-ts',
  title: 'Vite + TypeScript',
  description: 'Vanilla TypeScript with Vite, no framework.',
  files: {
    'package.json': json({
      name: 'vite-vanilla-ts',
      private: true,
      type: 'module',
      scripts: { dev: 'vite', build: 'tsc && vite build', preview: 'vite preview' },
      devDependencies: { typescript: '~5.9.0', vite: '^7.0.0' },
    }),
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
      },
      include: ['src'],
    }),
    'index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>Vite + TypeScript</title>
  </head>
  <body>
    <div id="app"></div>
    <script type="module" src="/src/main.ts"></script>
  </body>
</html>
`,
    'src/main.ts': `import './style.css'
import { setupCounter } from './counter.ts'

document.querySelector<HTMLDivElement>('#app')!.innerHTML = \`
  <h1>Vite + TypeScript</h1>
  <button id="counter" type="button"></button>
  <p>Edit <code>src/main.ts</code> and save to see HMR.</p>
\`

setupCounter(document.querySelector<HTMLButtonElement>('#counter')!)
`,
    'src/counter.ts': `export function setupCounter(element: HTMLButtonElement) {
  let counter = 0
  const setCounter = (count: number) => {
    counter = count
    element.textContent = \`count is \${counter}\`
  }
  element.addEventListener('click', () => setCounter(counter + 1))
  setCounter(0)
}
`,
    'src/style.css': `:root {
  font-family: system-ui, sans-serif;
  color-scheme: light dark;
}
#app {
  max-width: 40rem;
  margin: 4rem auto;
  text-align: center;
}
`,
    '.gitignore': gitignore,
  },
}

export const TEMPLATES: Readonly<Record<TemplateId, Template>> = {
  'node-script': nodeScript,
  'node-server': nodeServer,
  'vite-react': viteReact,
  'vite-vanilla-ts': viteVanillaTs,
}
