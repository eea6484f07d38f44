/* Project form: "tick all / untick all" buttons for each group of building checkboxes. */
(function () {
  "use strict";
  document.querySelectorAll("[data-check-group]").forEach(function (group) {
    var buttons = group.querySelector(".check-buttons");
    if (!buttons) { return; }
    buttons.hidden = false;
    buttons.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-check]");
      if (!button) { return; }
      var checked = button.getAttribute("data-check") === "all";
      group.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = checked; });
    });
  });
})();
