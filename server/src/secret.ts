import { inspect } from 'node:util'

/// A value that must never be printed: `String()`, JSON, `util.inspect` and the logger all see `[redacted]`. Only
/// `reveal()` gives it out, to the one adapter that sends it.
export class Secret {
  readonly #value: string

  constructor(value: string) {
    this.#value = value
  }

  reveal(): string {
    return this.#value
  }

  toString(): string {
    return '[redacted]'
  }

  toJSON(): string {
    return '[redacted]'
  }

  [inspect.custom](): string {
    return 'Secret([redacted])'
  }
}
