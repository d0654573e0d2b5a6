import { z } from 'zod'
import { ForkedFromSchema } from '../shares/schemas.ts'
import { TEMPLATE_IDS } from '../templates/index.ts'

export const ProjectNameSchema = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(100, 'name must be at most 100 characters')

export const TemplateIdSchema = z.enum(TEMPLATE_IDS)

/// `forkedFrom`: the link version a project made in this browser was forked from, claimed when it is uploaded at
/// sign-in. The server keeps it only if that link is live and has that version (and takes the name from the link).
export const CreateProjectSchema = z.strictObject({
  name: ProjectNameSchema,
  template: TemplateIdSchema.optional(),
  forkedFrom: ForkedFromSchema.optional(),
})
export const UpdateProjectSchema = z.strictObject({ name: ProjectNameSchema })

export const ProjectSchema = z.object({
  id: z.string(),
  name: z.string(),
  template: TemplateIdSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /// The share link version this project was forked from (`null` if it was not forked; absent from older servers).
  forkedFrom: ForkedFromSchema.nullable().default(null),
})
export type Project = z.infer<typeof ProjectSchema>

export const ProjectResponseSchema = z.object({ project: ProjectSchema })
export const ProjectListSchema = z.object({ projects: z.array(ProjectSchema) })

export const FileEntrySchema = z.object({ path: z.string(), size: z.number().int(), sha256: z.string() })
export type FileEntry = z.infer<typeof FileEntrySchema>
export const FileListSchema = z.object({ files: z.array(FileEntrySchema) })
