import { createElement, use } from 'react'
import type { ComponentType } from 'react'

type Tracked<T> = Promise<T> & { status?: 'pending' | 'fulfilled' | 'rejected'; value?: T; reason?: unknown }

/// Like `React.lazy`, plus `preload()` to start fetching the chunk before it is rendered. A component whose chunk is
/// already there renders at once, without suspending: `React.lazy` always suspends on first render, and React then
/// holds the fallback on screen for up to 300 ms (its reveal throttle) even when the chunk was already loaded.
export function preloadable<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> & { preload(): Promise<ComponentType<P>> } {
  let promise: Tracked<ComponentType<P>> | undefined
  const start = () => {
    const p: Tracked<ComponentType<P>> = load()
    p.status = 'pending'
    p.then(
      (value) => {
        p.status = 'fulfilled'
        p.value = value
      },
      (reason: unknown) => {
        p.status = 'rejected'
        p.reason = reason
      },
    )
    promise = p
    return p
  }
  // A failed chunk (offline, a deploy removed it) is fetched again by the next `preload()`. Rendering keeps the failed
  // one, so `use` throws its error to the nearest error boundary: a render that fetched again would suspend again, and
  // React, which renders again when a promise settles, would retry for ever behind the fallback.
  const preload = () => (!promise || promise.status === 'rejected' ? start() : promise)
  function Preloadable(props: P) {
    // `use` reads a promise React has seen settle (status 'fulfilled' or 'rejected') synchronously.
    const component: ComponentType<P> = use<ComponentType<P>>((promise ?? start()) as PromiseLike<ComponentType<P>>)
    return createElement(component, props)
  }
  return Object.assign(Preloadable, { preload })
}
