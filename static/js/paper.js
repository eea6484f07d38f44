/* Paper ballots: choosing another building shows its rooms (without JS, the building links above do the same). */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-paper-building]");
    if (!select) { return; }
    var option = select.options[select.selectedIndex];
    if (option && option.getAttribute("data-url")) { window.location.assign(option.getAttribute("data-url")); }
  });
})();
