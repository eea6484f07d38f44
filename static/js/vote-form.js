/* Vote settings: a chosen rule fills the custom thresholds, which are shown only for "custom".
   Without JS every field stays visible and the server ignores the custom numbers unless "custom" is chosen. */
(function () {
  "use strict";
  var preset = document.getElementById("preset");
  var custom = document.getElementById("custom-rule");
  if (!preset || !custom) { return; }
  var names = ["part_basis", "part_op", "part_num", "part_den", "appr_basis", "appr_op", "appr_num", "appr_den"];

  function fill(numbers) {
    var form = preset.form;
    names.forEach(function (name, i) {
      if (form.elements[name]) { form.elements[name].value = numbers[i]; }
    });
    var base = form.querySelector('input[name="appr_base"][value="' + numbers[8] + '"]');
    if (base) { base.checked = true; }
  }

  function update(fromChange) {
    var isCustom = preset.value === custom.getAttribute("data-custom");
    custom.hidden = !isCustom;
    var rule = preset.options[preset.selectedIndex].getAttribute("data-rule");
    if (fromChange && rule) { fill(rule.split(" ")); }
  }

  preset.addEventListener("change", function () { update(true); });
  update(false);
}());
