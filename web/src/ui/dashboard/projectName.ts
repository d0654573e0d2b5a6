/// What an inline rename of a project should do with the text typed so far. Pure, so the rules are tested without
/// React. The name rules are the server's (shared ProjectNameSchema), so local projects follow them too.
import { ProjectNameSchema } from '@slipway/shared'

export type RenameDecision =
  | { kind: 'unchanged' }
  | { kind: 'rename'; name: string }
  | { kind: 'invalid'; error: string }

export function decideRename(draft: string, current: string): RenameDecision {
  const parsed = ProjectNameSchema.safeParse(draft)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const error = issue?.code === 'too_small' ? 'A project needs a name.' : issue?.code === 'too_big' ? 'Names are at most 100 characters.' : 'That name cannot be used.'
    return { kind: 'invalid', error }
  }
  return parsed.data === current ? { kind: 'unchanged' } : { kind: 'rename', name: parsed.data }
}

/// The message for a rename the library refused (network: the server could not be reached).
export function renameFailure(res: { kind: string; message: string }): string {
  return res.kind === 'network' ? 'The server cannot be reached, so the name is unchanged. Try again when you are online.' : `Could not rename: ${res.message}`
}
