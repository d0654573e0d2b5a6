/// Which listening server is the run's own. The runtime reports every server that starts listening (the run's dev
/// script, or one a person started in a terminal) without saying which process owns it, so the run claims one from
/// what it knows: a port its own output names is its own; a port that was already open when its script started is
/// someone else's; once one is claimed, every other is someone else's; otherwise a new server is the run's at once
/// when nothing else is running that could have started it, or after a short wait in which the server its output
/// names did not come up. A pure kernel: the controller feeds it events and acts on the
/// answers.
///
/// TODO(agent): the local runtime agent knows which of its sessions holds each socket (PortWatcher); if its `port`
/// events said so, the claim would be exact there instead of inferred.

export type ClaimAnswer =
  /// `port` is the run's server: the stepper may say it is ready on it.
  | { type: 'claim'; port: number; url: string }
  /// Not (yet) the run's: ask again with `settle(port)` after the grace period, unless something else decides first.
  | { type: 'wait'; port: number }
  /// Someone else's server: the port switcher lists it, the stepper ignores it.
  | { type: 'ignore' }

export class ServerClaim {
  private readonly taken: Set<number>
  private readonly mentioned = new Set<number>()
  /// Ready servers not claimed (yet): port → url.
  private readonly candidates = new Map<number, string>()
  private ours: number | undefined

  /// `openAtStart`: ports that were listening before the run's script started.
  constructor(openAtStart: Iterable<number>) {
    this.taken = new Set(openAtStart)
  }

  /// The run's port, once claimed (it stays the run's while it restarts).
  get port(): number | undefined {
    return this.ours
  }

  /// A server answers on `port`. `othersMayServe`: something other than the run's script is running (a shell).
  ready(port: number, url: string, othersMayServe: boolean): ClaimAnswer {
    if (this.ours === port) return { type: 'claim', port, url }
    if (this.ours !== undefined) return { type: 'ignore' }
    if (this.mentioned.has(port)) return this.claim(port, url)
    this.candidates.set(port, url)
    if (this.taken.has(port)) return { type: 'ignore' }
    // Output that named another port ("port 5432" of a database it connects to) is no proof either way: wait.
    return othersMayServe || this.mentioned.size > 0 ? { type: 'wait', port } : this.claim(port, url)
  }

  /// The run's output named `port`: a server already answering there becomes the run's.
  mention(port: number): ClaimAnswer {
    this.mentioned.add(port)
    const url = this.candidates.get(port)
    return this.ours === undefined && url !== undefined ? this.claim(port, url) : { type: 'ignore' }
  }

  /// The grace period after `wait` ran out: the server is the run's, unless meanwhile it closed or another server
  /// was claimed (the one the output named, when it came up).
  settle(port: number): ClaimAnswer {
    const url = this.candidates.get(port)
    if (this.ours !== undefined || url === undefined) return { type: 'ignore' }
    return this.claim(port, url)
  }

  /// `port` stopped listening; true when it was the run's server.
  closed(port: number): boolean {
    this.taken.delete(port)
    this.candidates.delete(port)
    return this.ours === port
  }

  private claim(port: number, url: string): ClaimAnswer {
    this.ours = port
    this.candidates.delete(port)
    return { type: 'claim', port, url }
  }
}
