/// Origins of the assistant's writes into the project doc: applying an edit, and undoing a turn. A module of their
/// own, so the editor's undo (which tracks `AI_ORIGIN`) imports nothing else of the assistant.
export const AI_ORIGIN = 'slipway:ai'
export const AI_UNDO_ORIGIN = 'slipway:ai-undo'
