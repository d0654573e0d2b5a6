import { memo, useEffect, useLayoutEffect, useRef } from 'react'
import ReactMarkdown from 'react-markdown'
import type { Components } from 'react-markdown'
import remarkGfm from 'remark-gfm'
import { useStore } from '../hooks/useStore.ts'
import { useServices } from '../services.tsx'
import { fenceLanguage } from './aiView.ts'

/// The assistant's text as Markdown (GFM: tables, task lists, strikethrough, autolinks), rendered as React elements:
/// no raw HTML ever reaches the page (react-markdown escapes it, and there is no rehype-raw), links are checked by
/// react-markdown's URL filter and open in a new tab without access to this one, images show as links (the CSP
/// loads none from elsewhere), code blocks are highlighted by Monaco's tokenizers.
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="ai-md">
      <ReactMarkdown remarkPlugins={REMARK} components={COMPONENTS}>
        {text}
      </ReactMarkdown>
    </div>
  )
})

const REMARK = [remarkGfm]

const COMPONENTS: Components = {
  a: ({ node: _node, href, children, ...rest }) => (
    <a {...rest} href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
  img: ({ src, alt }) => (typeof src === 'string' && src ? <a href={src} target="_blank" rel="noopener noreferrer">{alt || src}</a> : <>{alt}</>),
  pre: ({ children }) => <>{children}</>,
  code: ({ node, className, children }) => {
    const text = String(children ?? '')
    // A fenced block is a `code` inside `pre`; the parser marks its language in the class, and its text ends in a newline.
    const block = node?.position && (className?.startsWith('language-') || text.endsWith('\n'))
    if (!block) return <code className="ai-code-inline">{children}</code>
    return <CodeBlock code={text.replace(/\n$/, '')} language={fenceLanguage(className?.replace(/^language-/, ''))} />
  },
}

/// A fenced code block: plain text at once, coloured by Monaco's `colorize` when its chunk is there (the workbench
/// has loaded it for the editor, so this costs no download). The code element is written here, not by React, since
/// the coloured HTML replaces its children; while an answer streams, colouring waits for the text to rest.
function CodeBlock({ code, language }: { code: string; language: string | undefined }) {
  const ref = useRef<HTMLElement>(null)
  // Token classes index the current theme's colours: coloured again when the scheme changes.
  const scheme = useStore(useServices().colorScheme)
  useLayoutEffect(() => {
    if (ref.current) ref.current.textContent = code
  }, [code])
  useEffect(() => {
    if (!language) return
    let live = true
    const timer = setTimeout(() => {
      void import('../editor/MonacoPane.tsx')
        .then(({ colorize }) => colorize(code, language))
        .then((html) => {
          // Monaco's tokenizer output: spans with token classes around text it has escaped.
          if (live && ref.current) ref.current.innerHTML = html
        })
        .catch(() => {})
    }, 120)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [code, language, scheme])
  return (
    <pre className="ai-code" data-language={language ?? 'plaintext'} tabIndex={0} aria-label={language ? `Code, ${language}` : 'Code'}>
      <code ref={ref} />
    </pre>
  )
}
