// Monaco chunk only. Feeds Monaco's TypeScript service (one per page, shared by the TS and JS workers) with what a
// real project has: the project's own script files, compiler options from its tsconfig, and the declaration files
// installed in the runtime's node_modules. Whatever it adds, `dispose` removes.
import { filePathOf } from '@slipway/shared'
import { javascriptDefaults, typescriptDefaults } from 'monaco-editor/languages/features/typescript/register'
import type * as Y from 'yjs'
import type { Runtime } from '../../core/runtime/index.ts'
import type { Workspace } from '../../core/workspace/Workspace.ts'
import { autoTypesSource, dependencyNames, projectConfig, type CompilerOptions } from '../../core/typescript/compilerOptions.ts'
import { isScriptPath } from './languages.ts'
import { projectUri } from './monaco.ts'
import { discoverTypes, installChanged, type PackageTypes } from '../../core/typescript/typesDiscovery.ts'

interface Lib {
  dispose(): void
}

const DEFAULTS = [typescriptDefaults, javascriptDefaults]
const CONFIG_FILE = /^(?:[^/]+\/)*(?:ts|js)config(?:\.[^/]*)?\.json$/
const AUTO_TYPES_URI = 'file:///.slipway/auto-types.d.ts'
const PROJECT_DEBOUNCE_MS = 400
const POLL_MS = 4000
/// Quiet time after package.json or a lock file changed before declarations are read again (an install writes both).
const INSTALL_SETTLE_MS = 1000

function addLib(content: string, uri: string): Lib {
  const libs = DEFAULTS.map((d) => d.addExtraLib(content, uri))
  return { dispose: () => libs.forEach((l) => l.dispose()) }
}

export class TypeScriptProject {
  private readonly projectLibs = new Map<string, Lib>()
  private readonly packageLibs = new Map<string, { pkg: PackageTypes; lib: Lib[] }>()
  private autoTypes: Lib | undefined
  private autoTypesSource = ''
  private projectTypes: string[] = []
  private typeRoots: string[] = []
  private untyped: string[] = []
  private options = ''
  private readonly dirty = new Set<string>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private poller: ReturnType<typeof setInterval> | undefined
  private installTimer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> = Promise.resolve()
  private queued: Promise<void> | undefined
  private seenModules: string | undefined
  private loadedModules: string | undefined
  private disposed = false
  private readonly onFiles: (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => void

  constructor(
    private readonly workspace: Workspace,
    private readonly runtime: (() => Runtime | undefined) | undefined,
    /// Open files live as models; the language service reads them from there, so their libs wait until closed.
    private readonly isOpen: (path: string) => boolean,
    /// Called after what the language service sees changed (files, options, installed types), to re-check.
    private readonly onProgramChange: () => void = () => {},
  ) {
    this.updateOptions()
    // The project's own files reach the language service just after the editor has painted, not before.
    for (const path of workspace.state.paths) this.dirty.add(path)
    this.schedule(0)
    this.updateAutoTypes()
    this.onFiles = (events) => {
      for (const event of events) {
        if (event.target === workspace.files) for (const key of (event as Y.YMapEvent<unknown>).keysChanged) this.dirty.add(key)
        else {
          const key = filePathOf(event.target, workspace.files)
          if (key) this.dirty.add(key)
        }
      }
      if (this.dirty.size) this.schedule()
    }
    workspace.files.observeDeep(this.onFiles)
    if (runtime) {
      this.poller = setInterval(() => void this.poll(), POLL_MS)
      void this.poll()
    }
  }

  /// A model was closed: its file's lib catches up with what was typed.
  noteClosed(path: string): void {
    this.dirty.add(path)
    this.schedule()
  }

  /// Re-reads node_modules declarations (incrementally: unchanged package versions are not read again).
  refreshTypes(): Promise<void> {
    if (this.queued) return this.queued
    const next = this.running.then(() => {
      this.queued = undefined
      return this.loadTypes()
    })
    this.queued = next
    this.running = next.catch(() => {})
    return next
  }

  dispose(): void {
    this.disposed = true
    clearTimeout(this.timer)
    clearTimeout(this.installTimer)
    clearInterval(this.poller)
    this.workspace.files.unobserveDeep(this.onFiles)
    for (const lib of this.projectLibs.values()) lib.dispose()
    this.projectLibs.clear()
    for (const { lib } of this.packageLibs.values()) lib.forEach((l) => l.dispose())
    this.packageLibs.clear()
    this.autoTypes?.dispose()
  }

  private schedule(ms = PROJECT_DEBOUNCE_MS): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.flush(), ms)
  }

  private flush(): void {
    if (this.disposed) return
    const paths = [...this.dirty]
    this.dirty.clear()
    for (const path of paths) this.updateProjectLib(path)
    if (paths.some((p) => CONFIG_FILE.test(p))) {
      this.updateOptions()
      this.updateAutoTypes()
    }
    // An install in a shell (`npm i nanoid`): its packages' types, once it wrote its lock file. The node_modules
    // poll alone misses a package that was already there, or one it read before package.json named it.
    if (this.runtime && installChanged(paths)) {
      clearTimeout(this.installTimer)
      this.installTimer = setTimeout(() => void this.refreshTypes(), INSTALL_SETTLE_MS)
    }
    this.onProgramChange()
  }

  private updateProjectLib(path: string): void {
    const text = isScriptPath(path) ? this.workspace.text(path) : undefined
    const existing = this.projectLibs.get(path)
    if (!text) {
      existing?.dispose()
      this.projectLibs.delete(path)
      return
    }
    if (existing && this.isOpen(path)) return
    // addExtraLib replaces the previous content of the same URI.
    this.projectLibs.set(path, addLib(text.toString(), projectUri(path).toString()))
  }

  private updateOptions(): void {
    const { options, types } = projectConfig((p) => this.workspace.text(p)?.toString())
    this.projectTypes = types
    const key = JSON.stringify(options)
    if (key === this.options) return
    this.options = key
    // Setting options restarts the workers; only do it when they changed.
    for (const d of DEFAULTS) d.setCompilerOptions(options as CompilerOptions as Parameters<typeof d.setCompilerOptions>[0])
  }

  private updateAutoTypes(): void {
    const source = autoTypesSource(this.typeRoots, this.projectTypes, this.untyped)
    if (source === this.autoTypesSource) return
    this.autoTypesSource = source
    this.autoTypes?.dispose()
    this.autoTypes = addLib(source, AUTO_TYPES_URI)
  }

  /// Reads node_modules again when its top-level listing changed and then held still for one poll (an install in
  /// progress keeps changing it).
  private async poll(): Promise<void> {
    if (this.disposed || (typeof document !== 'undefined' && document.hidden)) return
    const signature = await this.modulesSignature()
    if (signature === undefined) return
    const stable = signature === this.seenModules
    this.seenModules = signature
    const first = this.loadedModules === undefined
    if (signature !== this.loadedModules && (stable || first)) await this.refreshTypes()
  }

  private async modulesSignature(): Promise<string | undefined> {
    const rt = this.runtime?.()
    if (!rt) return undefined
    try {
      return (await rt.fs.readdir('node_modules'))
        .map((e) => e.name)
        .sort()
        .join('\n')
    } catch {
      return ''
    }
  }

  private async loadTypes(): Promise<void> {
    const rt = this.runtime?.()
    if (!rt || this.disposed) return
    this.loadedModules = await this.modulesSignature()
    const cache = new Map([...this.packageLibs].map(([name, { pkg }]) => [name, pkg]))
    const result = await discoverTypes(rt.fs, { roots: dependencyNames(this.workspace.text('package.json')?.toString()), cache })
    if (this.disposed) return
    const keep = new Set<string>()
    for (const pkg of result.packages) {
      keep.add(pkg.name)
      const current = this.packageLibs.get(pkg.name)
      if (current?.pkg === pkg) continue
      current?.lib.forEach((l) => l.dispose())
      this.packageLibs.set(pkg.name, { pkg, lib: pkg.files.map((f) => addLib(f.content, `file:///${f.path}`)) })
    }
    for (const [name, { lib }] of this.packageLibs) {
      if (keep.has(name)) continue
      lib.forEach((l) => l.dispose())
      this.packageLibs.delete(name)
    }
    this.typeRoots = result.typeRoots
    this.untyped = result.packages.filter((p) => p.untyped).map((p) => p.name)
    this.updateAutoTypes()
    // The running workers need no restart for an import that failed to resolve before `npm i` (types.spec): Monaco
    // posts the changed extra libs to them (`updateExtraLibs`) and re-validates the open models; each extra lib is a
    // root file of the worker's program, so the next request builds a program that resolves its imports afresh
    // (TypeScript carries over only the successful resolutions of an older program, and none when its root names
    // changed).
    this.onProgramChange()
  }
}
