/* Compare designs: the swipe slider's divider, the overlay's opacity, and the matrix's print button.
   Without JS the compare page shows the two pictures side by side; CSP forbids style="", so only custom properties are set. */
(function () {
  "use strict";

  function setPosition(stage, percent) {
    var value = Math.max(0, Math.min(100, percent));
    stage.style.setProperty("--pos", value + "%");
    var range = stage.parentNode.querySelector(".compare-range");
    if (range && Number(range.value) !== Math.round(value)) { range.value = Math.round(value); }
  }

  function setOpacity(stage, percent) {
    stage.style.setProperty("--opacity", String(Math.max(0, Math.min(100, percent)) / 100));
  }

  // Both pictures are letterboxed into a box shaped like the top picture, so an overlay lines up.
  function setRatio(stage) {
    var top = stage.querySelector("img.compare-over") || stage.querySelector("img");
    var width = top && Number(top.getAttribute("width"));
    var height = top && Number(top.getAttribute("height"));
    if (width > 0 && height > 0) { stage.style.setProperty("--ratio", width + " / " + height); }
  }

  function dragSlider(stage) {
    var dragging = false;
    function follow(event) {
      var box = stage.getBoundingClientRect();
      if (box.width > 0) { setPosition(stage, (event.clientX - box.left) / box.width * 100); }
    }
    stage.addEventListener("pointerdown", function (event) {
      dragging = true;
      if (stage.setPointerCapture) { stage.setPointerCapture(event.pointerId); }
      follow(event);
    });
    stage.addEventListener("pointermove", function (event) { if (dragging) { follow(event); } });
    ["pointerup", "pointercancel"].forEach(function (name) {
      stage.addEventListener(name, function () { dragging = false; });
    });
  }

  function start(root) {
    root.querySelectorAll(".compare-stage[data-mode=slider], .compare-stage[data-mode=overlay]").forEach(function (stage) {
      if (stage.hasAttribute("data-ready")) { return; }
      stage.setAttribute("data-ready", "");
      stage.closest(".compare").classList.add("has-js");
      setRatio(stage);
      var range = stage.parentNode.querySelector(".compare-range");
      var opacity = stage.parentNode.querySelector(".compare-opacity");
      if (range) {
        setPosition(stage, Number(range.value));
        range.addEventListener("input", function () { setPosition(stage, Number(range.value)); });
        dragSlider(stage);
      }
      if (opacity) {
        setOpacity(stage, Number(opacity.value));
        opacity.addEventListener("input", function () { setOpacity(stage, Number(opacity.value)); });
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });
  document.addEventListener("htmx:load", function (event) { start(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(document); });
  } else {
    start(document);
  }
})();
