import type { SecretKind } from './schemas.ts'

/// Finds text that looks like a credential, so a share link never publishes one. Pure: text in, findings out.
/// Patterns favour real token shapes over words that merely start the same way: a README saying "sk-" or
/// "use your AKIA… key" is fine, `sk-` followed by 20+ key characters mixing letters and digits is not.

export interface SecretHit {
  /// 1-based line number.
  line: number
  kind: SecretKind
}

const KEYCHAR = '[A-Za-z0-9_-]'
/// Not preceded by a key character, so `mask-…` or `disk-…` do not start a token.
const START = `(?<![A-Za-z0-9_-])`

const RULES: { kind: SecretKind; pattern: RegExp; check?: (token: string) => boolean }[] = [
  { kind: 'private_key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'anthropic_key', pattern: new RegExp(`${START}sk-ant-(?:api|admin)?\\d*-?${KEYCHAR}{20,}`), check: mixed },
  { kind: 'openai_key', pattern: new RegExp(`${START}sk-(?!ant-)(?:proj-|svcacct-|admin-)?${KEYCHAR}{20,}`), check: mixed },
  // AWS's documentation key (AKIAIOSFODNN7EXAMPLE) and its like end in EXAMPLE.
  { kind: 'aws_access_key', pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/, check: (t) => mixed(t) && !t.endsWith('EXAMPLE') },
  { kind: 'github_token', pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})/, check: mixed },
  { kind: 'slack_token', pattern: /(?<![A-Za-z0-9_-])xox[abposre]-[A-Za-z0-9-]{10,}/, check: mixed },
  // `.npmrc`: `//registry.npmjs.org/:_authToken=abc…` (not `${NPM_TOKEN}`), and npm's own `npm_…` tokens.
  { kind: 'npm_token', pattern: /_auth(?:Token)?\s*=\s*(?!\$\{)["']?[A-Za-z0-9+/=_.-]{16,}/ },
  { kind: 'npm_token', pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/, check: mixed },
]

/// True when the token mixes letters and digits and is not one character repeated: real keys are random, docs'
/// placeholders (`sk-your-key-goes-here-xxxx`, `AKIAXXXXXXXXXXXXXXXX`) usually are not.
function mixed(token: string): boolean {
  const body = token.replace(/^(sk-ant-|sk-|AKIA|ASIA|gh[pousr]_|github_pat_|xox[a-z]-|npm_)/, '')
  return /[0-9]/.test(body) && /[A-Za-z]/.test(body) && !/^(.)\1*$/.test(body.replace(/[-_]/g, ''))
}

/// Secrets in one file's text: at most one finding per line (the first rule that matches), at most `max` findings.
export function findSecrets(text: string, max = 100): SecretHit[] {
  const hits: SecretHit[] = []
  // A cheap pre-check on the whole text skips the line loop for the vast majority of files.
  if (!/PRIVATE KEY|sk-|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposre]-|_auth|npm_/.test(text)) return hits
  const lines = text.split('\n')
  for (let i = 0; i < lines.length && hits.length < max; i++) {
    const line = lines[i]!
    for (const rule of RULES) {
      const m = rule.pattern.exec(line)
      if (m && (!rule.check || rule.check(m[0]))) {
        hits.push({ line: i + 1, kind: rule.kind })
        break
      }
    }
  }
  return hits
}
