// Runs before any module, on every page load. On a project URL (/p/<id>, the pattern of ui/router.tsx) it starts
// reading that project's doc from this browser's store at once, while the app's code is still arriving and
// evaluating: the read of a large project takes about as long as loading the app, so the two overlap instead of
// following each other. The result waits in `window.__slipwayEarlyDoc` for DocPersistence (through main.tsx and
// LocalStore.prefetchDoc), which applies it and then reads only what was stored after it.
//   { name, result: Promise<{ updates: Uint8Array[], lastKey: number } | null> }
// It never creates anything: an unknown project's database is not made (the upgrade is aborted) and any failure
// resolves null, so the app reads the store itself exactly as it would without this script.
;(function () {
  var m = /^\/p\/([A-Za-z0-9_-]{1,64})\/?$/.exec(location.pathname)
  if (!m || typeof indexedDB === 'undefined') return
  var name = 'slipway-doc-' + m[1]
  var result = new Promise(function (resolve) {
    var req
    try {
      req = indexedDB.open(name)
    } catch (e) {
      return resolve(null)
    }
    req.onupgradeneeded = function () {
      // No such database yet: abort, so that none is created (the request then fails with AbortError).
      req.transaction.abort()
    }
    req.onerror = function (e) {
      if (e && e.preventDefault) e.preventDefault()
      resolve(null)
    }
    req.onblocked = function () {
      resolve(null)
    }
    req.onsuccess = function () {
      var db = req.result
      // Never stand in the way of an upgrade or a deletion another tab asks for.
      db.onversionchange = function () {
        db.close()
      }
      try {
        // Both requests of one read-only transaction see the same snapshot of the store.
        var tx = db.transaction(['updates'], 'readonly')
        var store = tx.objectStore('updates')
        var values = store.getAll()
        var keys = store.getAllKeys()
        tx.oncomplete = function () {
          db.close()
          var k = keys.result
          var last = k.length ? k[k.length - 1] : 0
          resolve(typeof last === 'number' && values.result.length === k.length ? { updates: values.result, lastKey: last } : null)
        }
        tx.onabort = function () {
          db.close()
          resolve(null)
        }
      } catch (e) {
        db.close()
        resolve(null)
      }
    }
  })
  window.__slipwayEarlyDoc = { name: name, result: result }
})()
