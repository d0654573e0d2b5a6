import { z } from 'zod'

/// Emails are trimmed and lower-cased before anything else looks at them. Messages are sentences: the sign-up form
/// shows them as they are.
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'This email address is too long (254 characters at most).')
  .pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }))

export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 1024
export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `The password must be at least ${PASSWORD_MIN} characters long.`)
  .max(PASSWORD_MAX, `The password must be at most ${PASSWORD_MAX} characters long.`)

export const CredentialsSchema = z.strictObject({ email: EmailSchema, password: PasswordSchema })
export type Credentials = z.input<typeof CredentialsSchema>

/// Login checks the password's length only loosely: a wrong password of any length is `invalid_credentials`.
export const LoginSchema = z.strictObject({ email: EmailSchema, password: z.string().min(1).max(PASSWORD_MAX) })

export const UserSchema = z.object({ id: z.string(), email: z.string(), createdAt: z.string() })
export type User = z.infer<typeof UserSchema>

export const AuthResponseSchema = z.object({ user: UserSchema })
export type AuthResponse = z.infer<typeof AuthResponseSchema>
