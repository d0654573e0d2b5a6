/// `when` clauses, VS Code's small language for where a keybinding applies: context keys combined with `!`, `&&`,
/// `||` and parentheses, and compared with `==` `!=` `<` `<=` `>` `>=`:
/// `editorFocus && !terminalFocus`, `openEditorCount >= 2`, `platform == 'mac'`.
/// A bare key holds when its value is truthy; a key nobody has set is undefined. `&&` binds tighter than `||`.

export type ContextValue = string | number | boolean | undefined

/// What a when clause is evaluated against.
export interface Context {
  get(key: string): ContextValue
}

export type WhenExpr =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'not'; readonly expr: WhenExpr }
  | { readonly kind: 'and'; readonly exprs: readonly WhenExpr[] }
  | { readonly kind: 'or'; readonly exprs: readonly WhenExpr[] }
  | { readonly kind: 'compare'; readonly key: string; readonly op: CompareOp; readonly value: string | number | boolean }

type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>='

type Token =
  | { type: 'id'; text: string; at: number }
  | { type: 'op'; text: '!' | '&&' | '||' | '(' | ')' | CompareOp; at: number }
  | { type: 'value'; value: string | number; at: number }
  | { type: 'end'; at: number }

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  const fail = (at: number, what: string) => new RangeError(`Invalid when clause "${text}" at ${at}: ${what}`)
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (/\s/.test(ch)) {
      i++
      continue
    }
    const two = text.slice(i, i + 2)
    if (two === '&&' || two === '||' || two === '==' || two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ type: 'op', text: two, at: i })
      i += 2
    } else if (ch === '!' || ch === '(' || ch === ')' || ch === '<' || ch === '>') {
      tokens.push({ type: 'op', text: ch, at: i })
      i++
    } else if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1)
      if (end < 0) throw fail(i, 'unterminated string')
      tokens.push({ type: 'value', value: text.slice(i + 1, end), at: i })
      i = end + 1
    } else if (/[-\d]/.test(ch)) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i))
      if (!m) throw fail(i, `unexpected "${ch}"`)
      tokens.push({ type: 'value', value: Number(m[0]), at: i })
      i += m[0].length
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][\w.]*/.exec(text.slice(i))!
      tokens.push({ type: 'id', text: m[0], at: i })
      i += m[0].length
    } else {
      throw fail(i, `unexpected "${ch}"`)
    }
  }
  tokens.push({ type: 'end', at: text.length })
  return tokens
}

/// Parses a when clause. Throws a RangeError with the clause and the position of the first thing it cannot read.
export function parseWhen(text: string): WhenExpr {
  const tokens = tokenize(text)
  let pos = 0
  const peek = () => tokens[pos]!
  const fail = (what: string) => new RangeError(`Invalid when clause "${text}" at ${peek().at}: ${what}`)
  const isOp = (t: Token, op: string) => t.type === 'op' && t.text === op

  const or = (): WhenExpr => {
    const exprs = [and()]
    while (isOp(peek(), '||')) {
      pos++
      exprs.push(and())
    }
    return exprs.length === 1 ? exprs[0]! : { kind: 'or', exprs }
  }
  const and = (): WhenExpr => {
    const exprs = [unary()]
    while (isOp(peek(), '&&')) {
      pos++
      exprs.push(unary())
    }
    return exprs.length === 1 ? exprs[0]! : { kind: 'and', exprs }
  }
  const unary = (): WhenExpr => {
    if (isOp(peek(), '!')) {
      pos++
      return { kind: 'not', expr: unary() }
    }
    if (isOp(peek(), '(')) {
      pos++
      const inner = or()
      if (!isOp(peek(), ')')) throw fail('expected ")"')
      pos++
      return inner
    }
    const t = peek()
    if (t.type !== 'id') throw fail('expected a context key')
    pos++
    const next = peek()
    if (next.type === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(next.text)) {
      pos++
      const v = peek()
      let value: string | number | boolean
      if (v.type === 'value') value = v.value
      else if (v.type === 'id') value = v.text === 'true' ? true : v.text === 'false' ? false : v.text
      else throw fail('expected a value')
      pos++
      const op = next.text as CompareOp
      if ((op === '<' || op === '<=' || op === '>' || op === '>=') && typeof value !== 'number') throw fail(`"${op}" compares with a number`)
      return { kind: 'compare', key: t.text, op, value }
    }
    return { kind: 'key', key: t.text }
  }

  const expr = or()
  if (peek().type !== 'end') throw fail('expected "&&", "||" or the end')
  return expr
}

/// Whether `expr` holds in `context`.
export function evaluateWhen(expr: WhenExpr, context: Context): boolean {
  switch (expr.kind) {
    case 'key':
      return !!context.get(expr.key)
    case 'not':
      return !evaluateWhen(expr.expr, context)
    case 'and':
      return expr.exprs.every((e) => evaluateWhen(e, context))
    case 'or':
      return expr.exprs.some((e) => evaluateWhen(e, context))
    case 'compare':
      return compare(context.get(expr.key), expr.op, expr.value)
  }
}

function compare(actual: ContextValue, op: CompareOp, expected: string | number | boolean): boolean {
  switch (op) {
    case '==':
      return equal(actual, expected)
    case '!=':
      return !equal(actual, expected)
    default: {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false
      if (op === '<') return actual < expected
      if (op === '<=') return actual <= expected
      if (op === '>') return actual > expected
      return actual >= expected
    }
  }
}

// As VS Code: `key == true` is the key being true, and a number compares with its written form.
function equal(actual: ContextValue, expected: string | number | boolean): boolean {
  if (actual === undefined) return false
  if (typeof expected === 'boolean') return actual === expected
  return String(actual) === String(expected)
}

/// The clause as written back, for the shortcuts reference: `editorFocus && !terminalFocus`.
export function formatWhen(expr: WhenExpr): string {
  switch (expr.kind) {
    case 'key':
      return expr.key
    case 'not':
      return `!${expr.expr.kind === 'key' || expr.expr.kind === 'not' ? formatWhen(expr.expr) : `(${formatWhen(expr.expr)})`}`
    case 'and':
      return expr.exprs.map((e) => (e.kind === 'or' ? `(${formatWhen(e)})` : formatWhen(e))).join(' && ')
    case 'or':
      return expr.exprs.map(formatWhen).join(' || ')
    case 'compare':
      return `${expr.key} ${expr.op} ${typeof expr.value === 'string' ? `'${expr.value}'` : String(expr.value)}`
  }
}
