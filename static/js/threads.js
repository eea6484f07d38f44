/* Threads: poll for new comments every 10 s while the tab is visible; keep each comment once; close inline reply forms. */
(function () {
  "use strict";
  if (window.civicThreadsLoaded) { return; }
  window.civicThreadsLoaded = true;
  var PERIOD_MS = 10000;

  // hx-trigger filters need eval, which the CSP forbids: the poller listens for "poll-due" and we fire it here.
  function poll() {
    if (document.visibilityState !== "visible" || !window.htmx) { return; }
    document.querySelectorAll("[data-thread-poll]").forEach(function (poller) {
      window.htmx.trigger(poller, "poll-due");
    });
  }
  window.setInterval(poll, PERIOD_MS);
  document.addEventListener("visibilitychange", poll); // at once when the tab is shown again

  // A comment that arrives a second time (e.g. with the last "load more" page) moves instead of doubling.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var incoming = event.detail.fragment;
    if (!incoming || !incoming.children) { return; }
    Array.prototype.forEach.call(incoming.children, function (item) {
      var old = item.id && document.getElementById(item.id);
      if (old && old !== event.detail.target) { old.remove(); }
    });
  });

  // "Cancel" on an inline reply form (that form only exists with JavaScript, so the button needs no fallback).
  document.addEventListener("click", function (event) {
    var cancel = event.target.closest && event.target.closest("[data-thread-cancel]");
    if (cancel) { cancel.closest("form").remove(); }
  });
})();
