/* HRX script embed: <script src="BASE/embed.js" data-target="skilled-workers" data-style="card" async></script>
   Replaces each such script tag with an iframe of the widget, lazy-loaded, titled, and kept as tall
   as its content. Only height messages from its own iframes are accepted. */
(function () {
  "use strict";
  var frames = [];
  var sizes = { bar: 160, card: 300, chart: 476, breakdown: 840 }; /* as the widget builder's iframe snippet */
  var home = document.currentScript ? base(document.currentScript.src) : "";

  function base(src) {
    return src.replace(/\/embed\.js(?:[?#].*)?$/, "");
  }

  function mount(script) {
    if (script.getAttribute("data-hrx-done")) return;
    script.setAttribute("data-hrx-done", "1");
    var target = script.getAttribute("data-target");
    if (!target) return;
    var style = script.getAttribute("data-style") || "card";
    var theme = script.getAttribute("data-theme") || "auto";
    var lang = script.getAttribute("data-lang") || document.documentElement.lang || "en";
    var src = base(script.src) + "/embed/" + encodeURIComponent(target) +
      "?style=" + encodeURIComponent(style) + "&theme=" + encodeURIComponent(theme) + "&lang=" + encodeURIComponent(lang);
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = script.getAttribute("data-title") || "Progress: " + target;
    frame.loading = "lazy";
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("scrolling", "no");
    frame.style.border = "0";
    frame.style.width = "100%";
    frame.style.display = "block";
    frame.style.colorScheme = "normal";
    frame.height = String(sizes[style] || 240);
    script.parentNode.insertBefore(frame, script.nextSibling);
    frames.push(frame);
  }

  function mountAll() {
    var scripts = document.querySelectorAll("script[data-target]");
    for (var i = 0; i < scripts.length; i++) {
      if (/\/embed\.js(?:[?#].*)?$/.test(scripts[i].src)) mount(scripts[i]);
    }
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "hrx:height" || typeof data.height !== "number") return;
    var frame = null, i;
    for (i = 0; i < frames.length && !frame; i++) {
      if (frames[i].contentWindow === event.source) frame = frames[i];
    }
    /* An iframe snippet on the same page (pasted rather than made by this script) follows its
       widget too, when it shows a widget from where this script came from. */
    var all = document.getElementsByTagName("iframe");
    for (i = 0; i < all.length && !frame && home; i++) {
      if (all[i].contentWindow === event.source && (home + "/").indexOf(event.origin + "/") === 0 &&
          all[i].src.indexOf(home + "/embed/") === 0) frame = all[i];
    }
    if (!frame) return;
    var h = Math.max(24, Math.min(4000, Math.ceil(data.height)));
    frame.height = String(h);
    frame.style.height = h + "px";
  });

  if (document.currentScript) mount(document.currentScript);
  mountAll();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
})();
