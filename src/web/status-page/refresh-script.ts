/**
 * The page's only script, served as /static/refresh.js (the Content-Security-Policy
 * allows no inline script). Every `data-refresh-seconds` it fetches the same URL and
 * swaps <header> and <main> in place (and the title and tab icon), so the reader keeps their scroll position; the
 * position is also kept in sessionStorage for full reloads. It waits while the tab is
 * hidden, while text is selected (someone is copying an ePID) and while keyboard focus
 * is inside the page's content, and says so when the server cannot be reached.
 *
 * Plain ES2017 in a string: the project has no browser build step, and the file is
 * tested in Chromium by test/browser/.
 */
export const REFRESH_SCRIPT = `// kms-monitor status page: refresh in place, keep the scroll position.
(function () {
  'use strict';
  var body = document.body;
  var seconds = Number(body.getAttribute('data-refresh-seconds')) || 0;
  var key = 'kms-monitor:scroll:' + location.pathname + location.search;

  function save() {
    try {
      sessionStorage.setItem(key, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
    } catch (e) {
      /* storage full or disabled: scrolling still works, it just is not remembered */
    }
  }

  // A full reload (F5, the noscript fallback, a restart of the monitor) starts at the
  // saved position unless the URL names a fragment to go to.
  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  try {
    var saved = JSON.parse(sessionStorage.getItem(key) || 'null');
    if (saved && typeof saved.y === 'number' && !location.hash) {
      window.scrollTo(saved.x || 0, saved.y);
    }
  } catch (e) {
    /* a broken entry is ignored */
  }
  var pending = 0;
  window.addEventListener('scroll', function () {
    clearTimeout(pending);
    pending = setTimeout(save, 150);
  }, { passive: true });
  window.addEventListener('pagehide', save);

  if (seconds <= 0) return;
  var busy = false;

  // The line lives in the header, which each refresh replaces: looked up every time.
  function say(text) {
    var line = document.getElementById('refresh-state');
    if (line) line.textContent = text;
  }

  function mayRefresh() {
    if (busy || document.hidden) return false;
    var selection = window.getSelection && window.getSelection();
    if (selection && !selection.isCollapsed) return false;
    var main = document.querySelector('main');
    var active = document.activeElement;
    return !(main && active && active !== body && main.contains(active));
  }

  function refresh() {
    if (!mayRefresh()) return;
    busy = true;
    fetch(location.href, { cache: 'no-store', credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.text();
      })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, 'text/html');
        var parts = ['header.top', 'main'];
        var x = window.scrollX;
        var y = window.scrollY;
        for (var i = 0; i < parts.length; i++) {
          var current = document.querySelector(parts[i]);
          var fresh = next.querySelector(parts[i]);
          if (!current || !fresh) throw new Error('unexpected answer');
          current.replaceWith(document.adoptNode(fresh));
        }
        document.title = next.title;
        var icon = document.querySelector('link[rel="icon"]');
        var nextIcon = next.querySelector('link[rel="icon"]');
        if (icon && nextIcon) icon.setAttribute('href', nextIcon.getAttribute('href'));
        window.scrollTo(x, y);
        body.classList.remove('stale');
        say('Updated ' + new Date().toLocaleTimeString() + ', every ' + seconds + ' s.');
        body.setAttribute('data-refreshed', String(Number(body.getAttribute('data-refreshed') || 0) + 1));
      })
      .catch(function (error) {
        body.classList.add('stale');
        say('Refresh failed (' + error.message + '): this page shows older data.');
      })
      .then(function () {
        busy = false;
      });
  }

  setInterval(refresh, seconds * 1000);
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) refresh();
  });
})();
`;
