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

// Uploads: the upload page sends its form itself and shows how far the file
// got, sent, then read and checked (the server answers with text/event-stream
// events), with a button that cancels the upload. Without this script the
// form posts as a plain page and the browser waits for the preview.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-upload-progress]");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var box = form.querySelector(".upload-progress");
  var bar = box.querySelector("progress");
  var text = box.querySelector(".upload-progress-text");
  var cancel = box.querySelector(".upload-cancel");
  var words = box.querySelector(".upload-words");
  var submit = form.querySelector("button[type=submit]");
  var xhr = null;
  function show(message, percent) {
    text.textContent = message;
    if (percent >= 0) bar.value = percent; else bar.removeAttribute("value");
  }
  function finish(message) {
    xhr = null;
    cancel.hidden = true;
    submit.hidden = false;
    show(message, 0);
  }
  cancel.addEventListener("click", function () { if (xhr) xhr.abort(); });
  form.addEventListener("submit", function (event) {
    var file = form.querySelector("input[type=file]");
    var max = Number(form.getAttribute("data-max-bytes"));
    // No file, or one over the limit: the server's own page says what to do.
    if (!file.files || file.files.length !== 1 || (max && file.files[0].size > max)) return;
    event.preventDefault();
    if (xhr) return;
    var req = new XMLHttpRequest();
    var seen = 0, ended = false;
    xhr = req;
    function events() {
      var type = req.getResponseHeader("Content-Type") || "";
      if (type.indexOf("text/event-stream") !== 0) return;
      var blocks = req.responseText.slice(seen).split("\n\n");
      for (var i = 0; i < blocks.length - 1; i++) {
        seen += blocks[i].length + 2;
        var name = "", data = null;
        blocks[i].split("\n").forEach(function (line) {
          if (line.indexOf("event: ") === 0) name = line.slice(7);
          if (line.indexOf("data: ") === 0) data = JSON.parse(line.slice(6));
        });
        if (!data) continue;
        if (name === "done") {
          ended = true;
          show(data.text, 100);
          window.location.assign(data.url);
        } else if (name === "failed") {
          ended = true;
          finish(data.text);
        } else {
          show(data.text, data.percent);
        }
      }
    }
    req.open("POST", form.action);
    req.setRequestHeader("Accept", "text/event-stream");
    req.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var p = Math.floor(e.loaded * 100 / e.total);
      show(words.getAttribute("data-sending").replace("{percent}", p), p);
    });
    req.addEventListener("progress", events);
    req.addEventListener("load", function () {
      events();
      if (ended) return;
      var type = req.getResponseHeader("Content-Type") || "";
      if (type.indexOf("text/event-stream") === 0) { finish(words.getAttribute("data-lost")); return; }
      // Not a stream (a refusal page): post the form as a plain page to show it.
      xhr = null;
      form.submit();
    });
    req.addEventListener("error", function () { finish(words.getAttribute("data-lost")); });
    req.addEventListener("abort", function () { finish(words.getAttribute("data-cancelled")); });
    box.hidden = false;
    cancel.hidden = false;
    submit.hidden = true;
    show(words.getAttribute("data-sending").replace("{percent}", 0), 0);
    req.send(new FormData(form));
  });
});

// A cell's rows editor: "Add another row" adds an empty row after the last,
// with the next number. Without this script the editor offers a few empty
// rows, and more after each save.
document.addEventListener("DOMContentLoaded", function () {
  var body = document.querySelector("[data-rows-editor]");
  var button = document.querySelector("[data-add-row]");
  if (!body || !button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var rows = body.querySelectorAll("tr[data-row]");
    var last = rows[rows.length - 1];
    var from = last.getAttribute("data-row"), n = String(rows.length + 1);
    var copy = last.cloneNode(true);
    copy.setAttribute("data-row", n);
    copy.querySelector("th").firstChild.textContent = button.getAttribute("data-label").replace("{n}", n);
    copy.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
    copy.querySelectorAll(".has-error").forEach(function (td) { td.classList.remove("has-error"); });
    copy.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.parentNode.textContent = ""; });
    copy.querySelectorAll("input, textarea, label").forEach(function (el) {
      ["name", "id", "for"].forEach(function (a) {
        var v = el.getAttribute(a);
        if (v) el.setAttribute(a, v.replace("row." + from + ".", "row." + n + ".").replace("row-" + from + "-", "row-" + n + "-"));
      });
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
      if (el.tagName === "LABEL") el.textContent = el.textContent.replace(from, n);
      else el.value = el.type === "hidden" ? "0" : "";
    });
    body.appendChild(copy);
    copy.querySelector("input[type=text]").focus();
  });
});

// The scenario planner: the chart and the numbers follow the fields as they
// are typed (the page is fetched again after a pause and its result swapped
// in), and the address keeps the scenario so that it can be shared. Without
// this script the form is sent as it is, by GET.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-plan]");
  var result = document.getElementById("plan-result");
  var status = document.getElementById("plan-status");
  if (!form || !result || !window.fetch || !window.URLSearchParams || !window.DOMParser) return;
  var timer = null, latest = 0;
  function update() {
    var url = form.getAttribute("action") + "?" + new URLSearchParams(new FormData(form)).toString();
    var mine = ++latest;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(function (resp) {
      return resp.text();
    }).then(function (text) {
      if (mine !== latest) return; // a later request is on its way
      var doc = new DOMParser().parseFromString(text, "text/html");
      var next = doc.getElementById("plan-result");
      if (!next) return;
      result.innerHTML = next.innerHTML;
      var nextStatus = doc.getElementById("plan-status");
      if (status && nextStatus) status.textContent = nextStatus.textContent;
      var summary = document.querySelector(".error-summary");
      if (summary) summary.remove();
      // Each field's message follows the new answer; what is typed stays as it is.
      form.querySelectorAll(".field input[type=text]").forEach(function (input) {
        var field = input.closest(".field"), fresh = doc.getElementById(input.id);
        var old = field.querySelector(".field-error");
        var error = fresh && fresh.closest(".field").querySelector(".field-error");
        if (old) old.remove();
        if (error) input.parentNode.insertBefore(document.importNode(error, true), input);
        field.classList.toggle("has-error", !!error);
        ["aria-invalid", "aria-describedby"].forEach(function (a) {
          if (fresh && fresh.hasAttribute(a)) input.setAttribute(a, fresh.getAttribute(a)); else input.removeAttribute(a);
        });
      });
      history.replaceState(null, "", url);
    }).catch(function () { /* the form still works when sent */ });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  // Typing in a field chooses its kind of scenario.
  form.querySelectorAll(".plan-fields input").forEach(function (input) {
    input.addEventListener("input", function () {
      var radio = input.closest(".plan-fields").previousElementSibling.querySelector("input[type=radio]");
      if (radio) radio.checked = true;
    });
  });
});
