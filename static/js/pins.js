// Pins on a version's picture: a tap fills the form's x/y (percent of the picture as shown), marks the spot and
// moves to the comment box. Listens on the document, so it keeps working after htmx swaps #pin-board.
(function () {
  "use strict";

  function round1(value) {
    return Math.round(Math.min(100, Math.max(0, value)) * 10) / 10;
  }

  function mark(stage, x, y) {
    var marker = stage.querySelector(".pin-new");
    if (!marker) { return; }
    marker.setAttribute("cx", x + "%");
    marker.setAttribute("cy", y + "%");
    marker.classList.add("is-shown");
  }

  document.addEventListener("click", function (event) {
    var stage = event.target.closest && event.target.closest("#pin-stage .pin-frame");
    var form = document.getElementById("pin-form");
    if (!stage || !form || event.target.closest(".pin")) { return; }  // an existing pin is a link to its comment
    var picture = stage.querySelector("img");
    var box = picture.getBoundingClientRect();
    if (!box.width || !box.height) { return; }
    var x = round1((event.clientX - box.left) / box.width * 100);
    var y = round1((event.clientY - box.top) / box.height * 100);
    form.elements.x.value = x;
    form.elements.y.value = y;
    mark(stage, x, y);
    form.elements.body.focus({ preventScroll: false });
  });

  // Typing the numbers moves the marker too, so the spot can be checked before sending.
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (!form || form.id !== "pin-form" || (event.target.name !== "x" && event.target.name !== "y")) { return; }
    var stage = document.querySelector("#pin-stage .pin-frame");
    var x = parseFloat(form.elements.x.value), y = parseFloat(form.elements.y.value);
    if (stage && isFinite(x) && isFinite(y)) { mark(stage, round1(x), round1(y)); }
  });
}());
