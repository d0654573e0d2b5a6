import type { BootOptions, WebContainer } from '@webcontainer/api'

/// The part of a booted `WebContainer` the adapter uses, typed by `@webcontainer/api` itself so a fake must follow
/// the documented API exactly.
export type WebContainerInstance = Pick<WebContainer, 'fs' | 'mount' | 'spawn' | 'on' | 'teardown' | 'workdir' | 'setPreviewScript'>

/// `WebContainer` the class, as far as booting goes. main.tsx passes the real one; tests pass a fake.
export interface WebContainerClass {
  boot(options?: BootOptions): Promise<WebContainerInstance>
}
