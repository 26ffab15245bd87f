// Small conveniences; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to an error summary so screen-reader and keyboard users hear the problem first.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();

  // Widget builder: show the new preview as soon as a choice changes.
  var builder = document.querySelector("[data-widget-builder]");
  if (builder) {
    builder.addEventListener("change", function () {
      if (builder.requestSubmit) builder.requestSubmit(); else builder.submit();
    });
  }

  // The staff switch on the dashboard and target pages applies at once.
  var viewSwitch = document.querySelector("[data-view-switch]");
  if (viewSwitch) {
    viewSwitch.addEventListener("change", function () {
      if (viewSwitch.requestSubmit) viewSwitch.requestSubmit(); else viewSwitch.submit();
    });
  }

  // The preview keeps the height of its content, as the script embed does.
  var preview = document.getElementById("widget-preview");
  if (preview) {
    window.addEventListener("message", function (event) {
      var data = event.data;
      if (event.source === preview.contentWindow && data && data.type === "hrx:height" && typeof data.height === "number") {
        preview.height = String(Math.max(24, Math.min(4000, Math.ceil(data.height))));
      }
    });
  }

  // The month grid. Leaving the page while the grid has changes that are not
  // saved asks first; a month action (submit for review and the others) or a
  // comment is not sent then, and says beside its button to save first.
  // Saving the grid itself goes ahead. The server refuses a submission when
  // someone saved after the page was loaded, so this only spares the typing.
  var grid = document.querySelector("form[data-grid]");
  if (grid) {
    var counts = grid.querySelectorAll("input.count");
    var unsaved = function () {
      if (grid.hasAttribute("data-unsaved")) return true; // entries re-shown after a refusal
      for (var i = 0; i < counts.length; i++) {
        if (counts[i].value !== counts[i].defaultValue) return true;
      }
      return false;
    };
    var saving = false;
    grid.addEventListener("submit", function () { saving = true; });
    window.addEventListener("pageshow", function () { saving = false; });
    window.addEventListener("beforeunload", function (event) {
      if (saving || !unsaved()) return;
      event.preventDefault();
      event.returnValue = "";
    });
    var guarded = document.querySelectorAll('form[action$="/state"], .month-state form, form.comment-form');
    for (var g = 0; g < guarded.length; g++) {
      guarded[g].addEventListener("submit", function (event) {
        var form = event.currentTarget;
        var note = form.querySelector(".unsaved-note");
        if (!unsaved()) {
          if (note) note.remove();
          return;
        }
        event.preventDefault();
        if (!note) {
          note = document.createElement("p");
          note.className = "field-error unsaved-note";
          note.setAttribute("role", "alert");
          var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
          if (button && button.parentNode) button.parentNode.insertBefore(note, button.nextSibling);
          else form.appendChild(note);
        }
        note.textContent = grid.getAttribute("data-unsaved-message");
      });
    }
  }

  // Copy buttons, shown only where the clipboard can be used.
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  var buttons = document.querySelectorAll("[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    var button = buttons[i];
    if (!navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", function (event) {
      var field = document.getElementById(event.currentTarget.getAttribute("data-copy"));
      var label = event.currentTarget.textContent;
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = "Copied: " + label.replace(/^Copy /, "");
      });
    });
  }
});
