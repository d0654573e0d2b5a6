import { createElement, use } from 'react'
import type { ComponentType } from 'react'

type Tracked<T> = Promise<T> & { status?: 'pending' | 'fulfilled' | 'rejected'; value?: T; reason?: unknown }

/// Like `React.lazy`, plus `preload()` to start fetching the chunk before it is rendered. A component whose chunk is
/// already there renders at once, without suspending: `React.lazy` always suspends on first render, and React then
/// holds the fallback on screen for up to 300 ms (its reveal throttle) even when the chunk was already loaded.
export function preloadable<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> & { preload(): Promise<ComponentType<P>> } {
  let promise: Tracked<ComponentType<P>> | undefined
  const preload = () => {
    if (!promise) {
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
          // A failed chunk (offline, a deploy removed it) can be tried again on the next render.
          promise = undefined
        },
      )
      promise = p
    }
    return promise
  }
  function Preloadable(props: P) {
    // `use` reads a promise React has seen settle (status 'fulfilled') synchronously.
    const component: ComponentType<P> = use<ComponentType<P>>(preload() as PromiseLike<ComponentType<P>>)
    return createElement(component, props)
  }
  return Object.assign(Preloadable, { preload })
}
