// Small conveniences; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to an error summary so screen-reader and keyboard users hear the problem first.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();
});
