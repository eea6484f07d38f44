/* Meeting pages: copy the time and place in one tap; print the lobby notice. Without JS the buttons stay hidden. */
(function () {
  "use strict";

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function legacyCopy(element) {
    selectText(element);
    try { return document.execCommand("copy"); } catch (error) { return false; }
  }

  function say(button, text) {
    var panel = button.closest("section") || document;
    var status = panel.querySelector(".copy-done");
    if (status) { status.textContent = text; }
  }

  function copy(button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) { return; }
    var text = source.textContent.trim();
    var done = function () { say(button, button.getAttribute("data-copied")); };
    // Older WeChat browsers lack the async clipboard: fall back, and leave the text selected either way.
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { if (legacyCopy(source)) { done(); } });
    } else if (legacyCopy(source)) {
      done();
    }
  }

  function reveal(root) {
    root.querySelectorAll("[data-copy-target][hidden], [data-print][hidden]").forEach(function (element) {
      element.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (button) { copy(button); return; }
    if (event.target.closest("[data-print]")) { window.print(); }
  });
  document.addEventListener("htmx:load", function (event) { reveal(event.target); });
  reveal(document);
})();
