// Runs before the app's modules evaluate (a classic script in <head>, after appearance.js; the CSP allows no inline
// script): on a project URL it draws the project's "first view" (issue 20), a paint list of the workbench as it last
// looked, written by the app (ui/firstView), so the code is on screen long before Monaco's JS has evaluated. Keys
// typed into it are echoed and queued; the editor replays them when it takes over (ui/editor/firstViewTakeover.ts).
// The record is untrusted: numbers are checked, text is set with textContent, colours and fonts only through
// style.setProperty of fixed properties and after the same checks as core/firstView/firstView.ts (whose test runs
// this file). No dependencies, ES2019.
;(function () {
  var api = {
    /// 'none' (not a project URL, nothing stored), 'reading', 'shown', 'mismatch' (the window or theme changed),
    /// 'done' (the app took over).
    state: 'none',
    /// performance.now() when the light view was drawn.
    shownAt: undefined,
    /// The stored record as read (the app checks it with zod before using its view state).
    record: undefined,
    /// Keys and pastes typed into the light view, in order.
    queue: [],
    /// Stops capturing and answers the queue; the light view stays until `remove`.
    take: function () {
      stop()
      api.state = 'done'
      var q = api.queue
      api.queue = []
      return q
    },
    remove: function () {
      stop()
      api.state = 'done'
      if (root && root.parentNode) root.parentNode.removeChild(root)
      root = undefined
    },
  }
  window.__slipwayFirstView = api
  var root
  var capturing = false

  var COLOUR = /^(?:rgba?\([\d.,\s%/]+\)|#[0-9a-fA-F]{3,8}|transparent)$/
  var FAMILY = /^[\w\s,"'.-]+$/
  var MAX_ELEMENTS = 600
  var MAX_CHARS = 400
  var SLACK = 4
  function num(v, min, max) {
    return typeof v === 'number' && isFinite(v) && v >= min && v <= max
  }
  function px(v) {
    return num(v, -100000, 100000)
  }
  function colour(v) {
    return typeof v === 'string' && v.length <= 64 && COLOUR.test(v)
  }
  function text(v) {
    return typeof v === 'string' ? v.slice(0, MAX_CHARS) : ''
  }
  function font(f) {
    return !!f && typeof f.family === 'string' && f.family.length <= 200 && FAMILY.test(f.family) && num(f.size, 1, 200) && num(f.lineHeight, 1, 400) && (f.weight === undefined || num(f.weight, 100, 1000))
  }
  function list(v) {
    return Array.isArray(v) ? v.slice(0, MAX_ELEMENTS) : []
  }
  function el(parent, x, y, w, h) {
    var d = document.createElement('div')
    var s = d.style
    s.setProperty('position', 'absolute')
    s.setProperty('left', x + 'px')
    s.setProperty('top', y + 'px')
    if (w !== undefined) s.setProperty('width', w + 'px')
    if (h !== undefined) s.setProperty('height', h + 'px')
    parent.appendChild(d)
    return d
  }
  function setFont(s, f) {
    s.setProperty('font-family', f.family)
    s.setProperty('font-size', f.size + 'px')
    s.setProperty('line-height', f.lineHeight + 'px')
    if (f.weight !== undefined) s.setProperty('font-weight', String(f.weight))
  }

  var m = /^\/p\/([A-Za-z0-9_-]{1,64})\/?$/.exec(location.pathname)
  if (!m || !window.indexedDB) return
  var id = m[1]
  api.state = 'reading'
  var req
  try {
    // No version: whatever the app made. A browser with no `slipway` database gets an upgrade, which is aborted so
    // this script never creates an empty one.
    req = indexedDB.open('slipway')
  } catch (e) {
    api.state = 'none'
    return
  }
  req.onupgradeneeded = function () {
    req.transaction.abort()
  }
  req.onerror = function (e) {
    if (e && e.preventDefault) e.preventDefault()
    if (api.state === 'reading') api.state = 'none'
  }
  req.onsuccess = function () {
    var db = req.result
    db.onversionchange = function () {
      db.close()
    }
    if (!db.objectStoreNames.contains('firstView')) {
      db.close()
      if (api.state === 'reading') api.state = 'none'
      return
    }
    try {
      var get = db.transaction('firstView', 'readonly').objectStore('firstView').get(id)
      get.onsuccess = function () {
        db.close()
        if (api.state !== 'reading') return
        try {
          show(get.result)
        } catch (e) {
          // A record this script cannot draw: draw nothing.
          api.remove()
          api.state = 'none'
        }
      }
      get.onerror = function () {
        db.close()
        if (api.state === 'reading') api.state = 'none'
      }
    } catch (e) {
      db.close()
      if (api.state === 'reading') api.state = 'none'
    }
  }

  // The code lines as drawn, for echoing keys: {n, y, div, spans: [[text, span]]}; the caret as {line index, col}.
  var lines = []
  var caretEl
  var caret
  var lineHeight = 20
  var charWidth = 8
  var tabSize = 2
  var codeLeft = 0

  function show(r) {
    if (!r || typeof r !== 'object' || r.v !== 1 || !num(r.vw, 0, 100000) || !num(r.vh, 0, 100000)) {
      api.state = 'none'
      return
    }
    api.record = r
    var theme = document.documentElement.getAttribute('data-theme')
    if (Math.abs(r.vw - window.innerWidth) > SLACK || Math.abs(r.vh - window.innerHeight) > SLACK || (theme && theme !== r.theme)) {
      api.state = 'mismatch'
      return
    }
    root = document.createElement('div')
    root.id = 'first-view'
    root.setAttribute('data-testid', 'firstview')
    root.setAttribute('role', 'region')
    root.setAttribute('aria-label', 'Opening the project')
    root.setAttribute('aria-busy', 'true')
    var rs = root.style
    rs.setProperty('position', 'fixed')
    rs.setProperty('inset', '0')
    rs.setProperty('z-index', '2147483000')
    rs.setProperty('overflow', 'hidden')
    rs.setProperty('cursor', 'progress')
    if (colour(r.bg)) rs.setProperty('background-color', r.bg)
    var count = 0
    list(r.boxes).forEach(function (b) {
      if (count >= MAX_ELEMENTS || !b || !px(b.x) || !px(b.y) || !num(b.w, 0, 100000) || !num(b.h, 0, 100000) || !colour(b.bg)) return
      count++
      el(root, b.x, b.y, b.w, b.h).style.setProperty('background-color', b.bg)
    })
    list(r.texts).forEach(function (t) {
      if (count >= MAX_ELEMENTS || !t || !px(t.x) || !px(t.y) || !num(t.w, 0, 100000) || !num(t.h, 0, 100000) || !colour(t.c) || !font(t.f)) return
      count++
      var d = el(root, t.x, t.y, t.w, t.h)
      var s = d.style
      setFont(s, t.f)
      s.setProperty('color', t.c)
      s.setProperty('white-space', 'pre')
      s.setProperty('overflow', 'hidden')
      s.setProperty('text-overflow', 'ellipsis')
      if (colour(t.bg)) s.setProperty('background-color', t.bg)
      if (num(t.pl, 0, 100000)) s.setProperty('padding-left', t.pl + 'px')
      d.textContent = text(t.t)
    })
    var e = r.editor
    if (e && e.clip && px(e.clip.x) && px(e.clip.y) && num(e.clip.w, 0, 100000) && num(e.clip.h, 0, 100000) && font(e.font)) {
      var clip = el(root, e.clip.x, e.clip.y, e.clip.w, e.clip.h)
      var cs = clip.style
      cs.setProperty('overflow', 'hidden')
      cs.setProperty('white-space', 'pre')
      cs.setProperty('font-feature-settings', '"liga" 0, "calt" 0')
      setFont(cs, e.font)
      lineHeight = e.font.lineHeight
      if (num(e.tabSize, 1, 16)) tabSize = e.tabSize
      list(e.lines).forEach(function (l) {
        if (count >= MAX_ELEMENTS || !l || !num(l.n, 1, 1e9) || !px(l.x) || !px(l.y) || !Array.isArray(l.s)) return
        count++
        var d = el(clip, l.x - e.clip.x, l.y - e.clip.y, undefined, lineHeight)
        d.className = 'fv-line'
        d.setAttribute('data-line', String(l.n))
        var spans = []
        l.s.slice(0, MAX_CHARS).forEach(function (part) {
          if (count >= MAX_ELEMENTS || !Array.isArray(part) || !colour(part[1])) return
          count++
          var sp = document.createElement('span')
          sp.style.setProperty('color', part[1])
          sp.textContent = text(part[0])
          d.appendChild(sp)
          spans.push(sp)
        })
        lines.push({ n: l.n, y: l.y - e.clip.y, x: l.x - e.clip.x, div: d, spans: spans })
      })
      codeLeft = lines.length ? lines[0].x : 0
      var c = e.caret
      if (c && px(c.x) && px(c.y) && num(c.h, 0, 1000) && colour(c.c) && num(c.line, 1, 1e9) && num(c.column, 1, 1e9)) {
        caretEl = el(clip, c.x - e.clip.x, c.y - e.clip.y, 2, c.h)
        caretEl.setAttribute('data-testid', 'firstview.caret')
        caretEl.style.setProperty('background-color', c.c)
        charWidth = measureChar(clip)
        for (var i = 0; i < lines.length; i++) if (lines[i].n === c.line) caret = { i: i, col: c.column }
      }
    }
    ;(document.body || document.documentElement).appendChild(root)
    api.state = 'shown'
    api.shownAt = performance.now()
    start()
  }

  function measureChar(clip) {
    var probe = document.createElement('span')
    probe.style.setProperty('position', 'absolute')
    probe.style.setProperty('visibility', 'hidden')
    probe.textContent = new Array(101).join('m')
    clip.appendChild(probe)
    var w = probe.getBoundingClientRect().width / 100
    clip.removeChild(probe)
    return w > 0 ? w : 8
  }

  // --- typing into the light view

  function lineText(l) {
    return l.spans
      .map(function (s) {
        return s.textContent
      })
      .join('')
  }
  /// Replaces the text of line `l` between `from` and `to` (0-based offsets) with `insert`, keeping colours.
  function splice(l, from, to, insert) {
    var at = 0
    var placed = false
    for (var i = 0; i < l.spans.length; i++) {
      var s = l.spans[i]
      var t = s.textContent
      var end = at + t.length
      var a = Math.min(Math.max(from, at), end)
      var b = Math.min(Math.max(to, at), end)
      var ins = ''
      if (!placed && from >= at && (from < end || i === l.spans.length - 1)) {
        ins = insert
        placed = true
      }
      s.textContent = t.slice(0, a - at) + ins + t.slice(b - at)
      at = end
    }
    if (!placed) {
      var sp = document.createElement('span')
      sp.textContent = insert
      l.div.appendChild(sp)
      l.spans.push(sp)
    }
  }
  function moveCaret() {
    if (!caret || !caretEl) return
    var l = lines[caret.i]
    caretEl.style.setProperty('left', l.x + (caret.col - 1) * charWidth + 'px')
    caretEl.style.setProperty('top', l.y + 'px')
  }
  function shiftBelow(i, by) {
    for (var j = i + 1; j < lines.length; j++) {
      lines[j].y += by
      lines[j].div.style.setProperty('top', lines[j].y + 'px')
    }
  }
  function typeText(t) {
    if (!caret) return
    var parts = t.split(/\r\n|\r|\n/)
    for (var p = 0; p < parts.length; p++) {
      if (p > 0) newline()
      var l = lines[caret.i]
      splice(l, caret.col - 1, caret.col - 1, parts[p])
      caret.col += parts[p].length
    }
    moveCaret()
  }
  function newline() {
    var l = lines[caret.i]
    var full = lineText(l)
    var rest = full.slice(caret.col - 1)
    splice(l, caret.col - 1, full.length, '')
    var d = el(l.div.parentNode, l.x, l.y + lineHeight, undefined, lineHeight)
    d.className = 'fv-line'
    var sp = document.createElement('span')
    sp.style.setProperty('color', l.spans.length ? l.spans[l.spans.length - 1].style.getPropertyValue('color') : '')
    sp.textContent = rest
    d.appendChild(sp)
    shiftBelow(caret.i, lineHeight)
    lines.splice(caret.i + 1, 0, { n: l.n + 1, y: l.y + lineHeight, x: l.x, div: d, spans: [sp] })
    caret = { i: caret.i + 1, col: 1 }
  }
  function echoKey(key) {
    if (!caret) return
    var l = lines[caret.i]
    var len = lineText(l).length
    if (key === 'Enter') newline()
    else if (key === 'Tab') {
      var n = tabSize - ((caret.col - 1) % tabSize)
      splice(l, caret.col - 1, caret.col - 1, new Array(n + 1).join(' '))
      caret.col += n
    } else if (key === 'Backspace') {
      if (caret.col > 1) {
        splice(l, caret.col - 2, caret.col - 1, '')
        caret.col--
      } else if (caret.i > 0) {
        var prev = lines[caret.i - 1]
        var col = lineText(prev).length + 1
        splice(prev, col - 1, col - 1, lineText(l))
        l.div.parentNode.removeChild(l.div)
        lines.splice(caret.i, 1)
        shiftBelow(caret.i - 2, -lineHeight)
        caret = { i: caret.i - 1, col: col }
      }
    } else if (key === 'Delete') {
      if (caret.col <= len) splice(l, caret.col - 1, caret.col, '')
      else if (caret.i + 1 < lines.length) {
        var next = lines[caret.i + 1]
        splice(l, len, len, lineText(next))
        next.div.parentNode.removeChild(next.div)
        lines.splice(caret.i + 1, 1)
        shiftBelow(caret.i, -lineHeight)
      }
    } else if (key === 'ArrowLeft') {
      if (caret.col > 1) caret.col--
      else if (caret.i > 0) caret = { i: caret.i - 1, col: lineText(lines[caret.i - 1]).length + 1 }
    } else if (key === 'ArrowRight') {
      if (caret.col <= len) caret.col++
      else if (caret.i + 1 < lines.length) caret = { i: caret.i + 1, col: 1 }
    } else if (key === 'ArrowUp' || key === 'ArrowDown') {
      var to = caret.i + (key === 'ArrowUp' ? -1 : 1)
      if (to >= 0 && to < lines.length) caret = { i: to, col: Math.min(caret.col, lineText(lines[to]).length + 1) }
    } else if (key === 'Home') {
      var first = lineText(l).search(/\S/) + 1
      caret.col = first > 0 && caret.col !== first ? first : 1
    } else if (key === 'End') caret.col = len + 1
    moveCaret()
  }

  var KEYS = { Enter: 1, Backspace: 1, Delete: 1, Tab: 1, ArrowLeft: 1, ArrowRight: 1, ArrowUp: 1, ArrowDown: 1, Home: 1, End: 1 }
  function onKeyDown(e) {
    if (e.isComposing || e.ctrlKey || e.metaKey || (e.altKey && e.key.length !== 1)) return
    if (e.key.length === 1) {
      api.queue.push({ k: 'text', t: e.key })
      typeText(e.key)
    } else if (KEYS[e.key] && !e.shiftKey) {
      api.queue.push({ k: 'key', key: e.key })
      echoKey(e.key)
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      // Shift+Enter / Shift+Tab: kept out of the queue (Monaco gives them their own meaning), but not let through.
    } else return
    e.preventDefault()
    e.stopImmediatePropagation()
  }
  function onPaste(e) {
    var t = e.clipboardData ? e.clipboardData.getData('text/plain') : ''
    e.preventDefault()
    e.stopImmediatePropagation()
    if (!t) return
    api.queue.push({ k: 'paste', t: t })
    typeText(t)
  }
  function start() {
    if (capturing) return
    capturing = true
    window.addEventListener('keydown', onKeyDown, true)
    window.addEventListener('paste', onPaste, true)
  }
  function stop() {
    if (!capturing) return
    capturing = false
    window.removeEventListener('keydown', onKeyDown, true)
    window.removeEventListener('paste', onPaste, true)
  }
})()
