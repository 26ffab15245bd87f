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
