import { parseSharePath } from '@slipway/shared'
import { useSyncExternalStore } from 'react'
import type { AnchorHTMLAttributes, MouseEvent } from 'react'

export type Route =
  | { name: 'dashboard' }
  | { name: 'project'; id: string }
  | { name: 'signin' }
  | { name: 'signup' }
  /// A share link, `/s/<id>` (latest) or `/s/<id>@<n>`; `linkId` null when the address is not a well-formed link.
  | { name: 'share'; linkId: string | null; version: number | null }
  | { name: 'not-found'; path: string }

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'dashboard' }
  if (pathname === '/signin') return { name: 'signin' }
  if (pathname === '/signup') return { name: 'signup' }
  if (pathname.startsWith('/s/')) {
    const share = parseSharePath(pathname)
    return share ? { name: 'share', linkId: share.linkId, version: share.version } : { name: 'share', linkId: null, version: null }
  }
  const m = /^\/p\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname)
  if (m) return { name: 'project', id: m[1]! }
  return { name: 'not-found', path: pathname }
}

const listeners = new Set<() => void>()
const notify = () => listeners.forEach((l) => l())

function subscribe(listener: () => void) {
  if (!listeners.size) window.addEventListener('popstate', notify)
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
    if (!listeners.size) window.removeEventListener('popstate', notify)
  }
}

const location = () => window.location.pathname + window.location.search

/// The current route; changes on navigate() and back/forward.
export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, location, location)
  return parseRoute(path.split('?')[0]!)
}

/// Client-side navigation, keeping the query string. (A runtime choice is never in it by then: main.tsx stores it and
/// takes it out of the address at startup.)
/// `keepQuery: false` drops the current query (leaving a page whose query means something only there).
export function navigate(to: string, options: { replace?: boolean; keepQuery?: boolean } = {}): void {
  const url = to.includes('?') || options.keepQuery === false ? to : to + window.location.search
  if (options.replace) history.replaceState(null, '', url)
  else history.pushState(null, '', url)
  notify()
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e)
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    e.preventDefault()
    navigate(to)
  }
  return <a href={to} onClick={handle} {...rest} />
}
