// Runs before the first paint (a classic script in <head>; the CSP allows no inline script): shows the theme chosen
// in Settings → Appearance from the start, so a dark page never flashes light while the app's modules load. The app
// then keeps it up to date (adapters/appearance/DocumentAppearance.ts). Same key and rules as
// core/appearance/appearance.ts (parseAppearance, resolveScheme); appearance.test.ts runs this file against them.
;(function () {
  var theme = 'system'
  try {
    var stored = JSON.parse(localStorage.getItem('slipway:appearance') || 'null')
    if (stored && (stored.theme === 'light' || stored.theme === 'dark')) theme = stored.theme
  } catch (e) {
    // Storage blocked or a bad value: follow the system.
  }
  if (theme === 'system') theme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
  var root = document.documentElement
  root.setAttribute('data-theme', theme)
  root.style.colorScheme = theme
})()
