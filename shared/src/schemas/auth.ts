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

export const DISPLAY_NAME_MAX = 60

/// Control characters (C0, DEL, C1: newlines and tabs among them), line and paragraph separators, bidi embeddings,
/// overrides and isolates (they could make "by …" read as something else), and lone surrogates.
const DISPLAY_NAME_FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]|\p{Cs}/u

/// The name links a user shares say they are "by": trimmed and NFC-normalized, 1–60 characters (code points, so an
/// emoji or a CJK character counts one), any script. An empty (or all-space) name, or `null`, clears it: the output
/// is then `null`.
export const DisplayNameSchema = z
  .union([z.string(), z.null()], { error: 'The display name must be text (or null to clear it).' })
  .transform((v) => (v === null ? null : v.trim().normalize('NFC')))
  .refine((v) => v === null || !DISPLAY_NAME_FORBIDDEN.test(v), 'The display name cannot contain line breaks, tabs or other control characters.')
  .refine((v) => v === null || [...v].length <= DISPLAY_NAME_MAX, `The display name must be at most ${DISPLAY_NAME_MAX} characters long.`)
  .transform((v) => (v === '' ? null : v))

/// Body of `PATCH /api/auth/me`.
export const UpdateMeSchema = z.strictObject({ displayName: DisplayNameSchema })
export type UpdateMe = z.input<typeof UpdateMeSchema>

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  createdAt: z.string(),
  /// `null`: not set. Absent from users cached by older clients, read as `null`.
  displayName: z.string().nullable().default(null),
})
export type User = z.infer<typeof UserSchema>

export const AuthResponseSchema = z.object({ user: UserSchema })
export type AuthResponse = z.infer<typeof AuthResponseSchema>
