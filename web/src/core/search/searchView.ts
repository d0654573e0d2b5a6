/// What the search view holds while it is hidden (the Files tab is shown), for one open project: the query, the
/// replacement, the include / exclude globs and the toggles. Kept by the project's session (VS Code keeps it per
/// workspace), so a second project, or the same project opened again, starts empty.
export interface SearchViewState {
  query: string
  replace: string
  showReplace: boolean
  showDetails: boolean
  include: string
  exclude: string
  options: { caseSensitive: boolean; wholeWord: boolean; regex: boolean }
}

export const EMPTY_SEARCH_VIEW: SearchViewState = {
  query: '',
  replace: '',
  showReplace: false,
  showDetails: false,
  include: '',
  exclude: '',
  options: { caseSensitive: false, wholeWord: false, regex: false },
}
