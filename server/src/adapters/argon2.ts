import { hash, verify } from '@node-rs/argon2'
import type { PasswordHasher } from '../domain/auth.ts'

/// argon2id at OWASP's minimum (19 MiB, 2 iterations, 1 lane).
// `algorithm: 2` is Algorithm.Argon2id (an ambient const enum, which verbatimModuleSyntax cannot import).
export const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const

export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password, ARGON2_OPTIONS),
  verify: async (h, password) => {
    try {
      return await verify(h, password)
    } catch {
      return false
    }
  },
}
