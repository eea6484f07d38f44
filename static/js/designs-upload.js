// The new-version form: an upload progress bar (with words for screen readers), and a submit button that
// cannot be pressed twice while files are on their way. Listeners sit on the document, so the form still
// works after htmx swaps in a refused form (422) or an error (413).
(function () {
  "use strict";

  function formOf(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.id === "version-form" ? elt : null;
  }

  function setBusy(form, busy) {
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = busy;
      button.setAttribute("aria-busy", busy ? "true" : "false");
    }
  }

  function show(form, percent) {
    var bar = form.querySelector("#upload-progress");
    var text = form.querySelector("#upload-progress-text");
    if (!bar) return;
    bar.parentNode.hidden = false;
    bar.value = percent;
    if (text) text.textContent = (text.dataset.template || "{percent}%").replace("{percent}", String(percent));
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = formOf(event);
    if (!form) return;
    setBusy(form, true);
    show(form, 0);
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = formOf(event);
    if (!form || !event.detail.lengthComputable || !event.detail.total) return;
    show(form, Math.min(100, Math.round((event.detail.loaded / event.detail.total) * 100)));
  });

  // Refused (422, 413) or no network: the button works again so the designer can fix and resend.
  ["htmx:responseError", "htmx:sendError", "htmx:timeout", "htmx:afterRequest"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var form = formOf(event);
      if (!form) return;
      if (name === "htmx:afterRequest" && event.detail.successful && event.detail.xhr &&
          event.detail.xhr.getResponseHeader("HX-Redirect")) {
        return; // leaving the page: keep the button disabled
      }
      setBusy(form, false);
    });
  });

  // Without htmx (or before it loaded) a plain submit still disables the button against double uploads.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id === "version-form" && !window.htmx) setBusy(form, true);
  });
})();
