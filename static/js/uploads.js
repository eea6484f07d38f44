/* Upload size checks before sending: a body over the server's cap is cut off with a 413 before it is read,
   which a browser may show as a reset connection. So a form says its limits and this stops a too-large choice:
     form[data-max-request-bytes][data-too-big-message]  total of all chosen files
     input[type=file][data-max-file-bytes][data-too-big-message]  each file ("{name}" becomes its name)
   The message goes into #<form id>-errors (else a paragraph at the top of the form). The server checks again. */
(function () {
  "use strict";

  function limit(element, name) {
    var value = Number(element.getAttribute(name));
    return value > 0 ? value : Infinity;
  }

  // The first problem with this form's chosen files, or "" when they may be sent.
  function problem(form) {
    var total = 0;
    var inputs = form.querySelectorAll("input[type=file]");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      var files = input.files || [];
      for (var j = 0; j < files.length; j++) {
        if (files[j].size > limit(input, "data-max-file-bytes")) {
          return (input.getAttribute("data-too-big-message") || "").replace("{name}", files[j].name);
        }
        total += files[j].size;
      }
    }
    return total > limit(form, "data-max-request-bytes") ? form.getAttribute("data-too-big-message") || "" : "";
  }

  function errorArea(form) {
    var area = form.id && document.getElementById(form.id + "-errors");
    if (area) return area;
    area = form.querySelector("div.upload-too-big");
    if (!area) {
      area = document.createElement("div");
      area.className = "upload-too-big";
      area.setAttribute("role", "alert");
      form.insertBefore(area, form.firstChild);
    }
    return area;
  }

  function report(form) {
    var message = problem(form);
    if (message) {
      var area = errorArea(form);
      area.textContent = "";
      var line = document.createElement("p");
      line.className = "error";
      line.setAttribute("data-upload-check", "");
      line.textContent = message;
      area.appendChild(line);
    } else {
      var old = form.querySelectorAll("[data-upload-check]");
      for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
    }
    return message;
  }

  function watched(form) {
    // No :has() here: older WeChat browsers throw on it.
    return !!form && form.tagName === "FORM" &&
      (form.hasAttribute("data-max-request-bytes") || !!form.querySelector("input[data-max-file-bytes]"));
  }

  // Say so as soon as the files are chosen, not only after the long wait of pressing send.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "file" && watched(input.form)) report(input.form);
  });

  // Capture on the document runs before htmx's own submit listener on the form: nothing is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (watched(form) && report(form)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // A request htmx starts some other way (a trigger other than submit) is stopped here too.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (watched(form) && report(form)) event.preventDefault();
  });
})();
