import { useState } from 'react'
import { PASSWORD_MIN } from '@slipway/shared'
import { useServices } from '../services.tsx'
import { Link, navigate } from '../router.tsx'

/// Sign in and sign up, with errors next to the field they are about.
export function AuthPage({ mode }: { mode: 'signin' | 'signup' }) {
  const { account } = useServices()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ message: string; field?: 'email' | 'password' }>()
  const signup = mode === 'signup'
  const submit = async () => {
    setBusy(true)
    setError(undefined)
    const res = signup ? await account.signup(email, password) : await account.login(email, password)
    setBusy(false)
    if (res.ok) navigate('/')
    else setError(res)
  }
  return (
    <main className="auth" data-testid={`auth.${mode}`}>
      <form
        className="auth-card form"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
        noValidate
      >
        <h1>{signup ? 'Create your account' : 'Sign in'}</h1>
        <p className="form-hint">{signup ? 'Your projects sync to every device you sign in on.' : 'Welcome back.'}</p>
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            aria-invalid={error?.field === 'email' ? true : undefined}
            data-testid="auth.email"
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            autoComplete={signup ? 'new-password' : 'current-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            minLength={signup ? PASSWORD_MIN : undefined}
            required
            aria-invalid={error?.field === 'password' ? true : undefined}
            data-testid="auth.password"
          />
          {signup && <small className="form-hint">At least {PASSWORD_MIN} characters.</small>}
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="auth.error">
            {error.message}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-wide" disabled={busy} data-testid="auth.submit">
          {busy ? (signup ? 'Creating account…' : 'Signing in…') : signup ? 'Create account' : 'Sign in'}
        </button>
        <p className="form-hint">
          {signup ? (
            <>
              Already have an account? <Link to="/signin">Sign in</Link>
            </>
          ) : (
            <>
              New here? <Link to="/signup">Create an account</Link>
            </>
          )}
          {' · '}
          <Link to="/">Continue without an account</Link>
        </p>
      </form>
    </main>
  )
}
