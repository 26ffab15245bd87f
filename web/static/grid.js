// The month grid's spreadsheet habits: paste a block copied from Excel, Google
// Sheets or LibreOffice, move with the arrow keys and Enter, save with Ctrl+S
// (⌘S), open a box's history with Alt+H. The form works without this script.
// Every sentence it shows comes from the page (#grid-words), in the reader's
// language. HRXGrid.parseCount and HRXGrid.parsePaste are pure, and a test
// compares parseCount with the server's rule (figures.ParseCount).
var HRXGrid = (function () {
  "use strict";

  var MAX_COUNT = 10000000; // figures.MaxCount
  // What Go's unicode.IsSpace calls a space, which strings.TrimSpace trims.
  var SPACE = "\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
  var trimRe = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "g");
  var spaceRe = new RegExp("[" + SPACE + "]");
  var printRe = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

  function trim(s) { return s.replace(trimRe, ""); }

  // fold does what golang.org/x/text/width.Fold does to the characters a
  // count can hold: full-width ASCII (１２３，４５６) and the ideographic space.
  function fold(s) {
    var out = "";
    for (var ch of s) {
      var c = ch.codePointAt(0);
      if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
      else if (c === 0x3000) out += " ";
      else out += ch;
    }
    return out;
  }

  // goQuote writes s as Go's strconv.Quote does.
  function goQuote(s) {
    var out = '"';
    var named = { 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v" };
    for (var ch of s) {
      var c = ch.codePointAt(0);
      if (ch === '"' || ch === "\\") out += "\\" + ch;
      else if (ch === " " || printRe.test(ch)) out += ch;
      else if (named[c]) out += named[c];
      else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
      else if (c < 0x10000) out += "\\u" + c.toString(16).padStart(4, "0");
      else out += "\\U" + c.toString(16).padStart(8, "0");
    }
    return out + '"';
  }

  // showValue quotes a value in a message as figures.ShowValue does.
  function showValue(s) {
    s = trim(s);
    var runes = Array.from(s);
    if (runes.length > 40) s = runes.slice(0, 39).join("") + "…";
    for (var ch of s) {
      if (ch === '"' || spaceRe.test(ch) || !(ch === " " || printRe.test(ch))) return goQuote(s);
    }
    return s === "" ? '""' : s;
  }

  // wellGrouped accepts international (1,234,567) or Indian (12,34,567) groups.
  function wellGrouped(g) {
    var last = g.length - 1;
    if (g[last] !== 3 || g[0] < 1 || g[0] > 3) return false;
    var international = true, indian = g[0] <= 2;
    for (var i = 1; i < last; i++) {
      international = international && g[i] === 3;
      indian = indian && g[i] === 2;
    }
    return international || indian;
  }

  // parseFolded reads a trimmed, folded count: {value} or {problem}.
  function parseFolded(s) {
    var no = { problem: "not_count" };
    if (s === "") return no;
    var first = String.fromCodePoint(s.codePointAt(0));
    if ("-+\u2212\u2012\u2013\ufe63".indexOf(first) >= 0 || (first === "(" && s.endsWith(")"))) return no;
    if (s.indexOf("_") >= 0 && /^[0-9_,. ]*$/.test(s)) return { problem: "underscore" };
    var intPart = s, dot = s.indexOf(".");
    if (dot >= 0) {
      intPart = s.slice(0, dot);
      var frac = s.slice(dot + 1);
      if (frac === "" || intPart === "" || !/^[0-9]*$/.test(frac)) return no;
      if (/[1-9]/.test(frac)) return { problem: "decimal" };
    }
    var groups = [], digits = 0, sep = "", v = 0, tooBig = false;
    for (var ch of intPart) {
      if (ch.length === 1 && ch >= "0" && ch <= "9") {
        v = v * 10 + (ch.charCodeAt(0) - 48);
        if (v > MAX_COUNT) { tooBig = true; v = MAX_COUNT + 1; }
        digits++;
        continue;
      }
      if (ch === ",") {
        if (sep === " ") return { problem: "grouping" };
        sep = ",";
      } else if (" \u00a0\u2007\u2009\u202f".indexOf(ch) >= 0) {
        if (sep === ",") return { problem: "grouping" };
        sep = " ";
      } else {
        return no;
      }
      if (digits === 0 || groups.length === 11) return no;
      groups.push(digits);
      digits = 0;
    }
    if (digits === 0) return no;
    groups.push(digits);
    if (groups.length > 1 && !wellGrouped(groups)) return { problem: "grouping" };
    if (tooBig) return { problem: "too_big" };
    return { value: v };
  }

  // parseCount is figures.ParseCount: {value} for a good count, or
  // {problem, shown}: the message id's last part (count.PROBLEM) and the
  // value as the message quotes it.
  function parseCount(s) {
    var t = trim(String(s));
    if (t === "") return { problem: "empty", shown: "" };
    var r = parseFolded(trim(fold(t)));
    if (r.problem) return { problem: r.problem, shown: showValue(t) };
    return { value: r.value };
  }

  // parsePaste splits what a spreadsheet puts on the clipboard into rows of
  // values: tabs between cells, a line break between rows, a cell holding
  // either in double quotes ("a""b" for a"b), and one line break at the end.
  function parsePaste(text) {
    text = String(text).replace(/\r\n?/g, "\n");
    var rows = [], row = [], field = "", atStart = true, i = 0, n = text.length;
    while (i < n) {
      var c = text[i];
      if (atStart && c === '"') {
        var j = i + 1, val = "";
        while (j < n) {
          if (text[j] === '"') {
            if (text[j + 1] === '"') { val += '"'; j += 2; continue; }
            break;
          }
          val += text[j++];
        }
        if (j < n && (j + 1 === n || text[j + 1] === "\t" || text[j + 1] === "\n")) {
          field = val;
          atStart = false;
          i = j + 1;
          continue;
        }
      }
      if (c === "\t" || c === "\n") {
        row.push(field);
        field = "";
        atStart = true;
        if (c === "\n") { rows.push(row); row = []; }
      } else {
        field += c;
        atStart = false;
      }
      i++;
    }
    if (!atStart || field !== "" || row.length > 0) { row.push(field); rows.push(row); }
    return rows;
  }

  // fill puts {name} values into a sentence from #grid-words.
  function fill(sentence, values) {
    return String(sentence || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function init() {
    var form = document.querySelector("form[data-grid]");
    var wordsEl = document.getElementById("grid-words");
    if (!form || !wordsEl || !form.querySelector("input.count")) return;
    var words = JSON.parse(wordsEl.textContent);
    var table = form.querySelector("table.grid");
    var status = document.getElementById("grid-status");
    var help = document.getElementById("grid-keys");
    if (help) help.hidden = false;

    // The grid's boxes by position: cells[r][c] is the direction cell td.
    var cells = [];
    var trs = table.tBodies[0].rows;
    for (var r = 0; r < trs.length; r++) {
      cells.push(Array.prototype.filter.call(trs[r].cells, function (td) { return td.hasAttribute("data-label"); }));
    }
    var where = function (el) {
      var td = el.closest("td[data-label]");
      for (var r = 0; r < cells.length; r++) {
        var c = cells[r].indexOf(td);
        if (c >= 0) return { r: r, c: c };
      }
      return null;
    };
    var control = function (td) {
      return td.querySelector("input.count") || td.querySelector("a:not(.cell-history):not(.cell-comments)");
    };
    var say = function (text, problem) {
      if (!status) return;
      status.textContent = text;
      status.className = problem ? "grid-status field-error" : "grid-status";
    };
    var mark = function (input) {
      input.closest("td").classList.toggle("changed", input.value !== input.defaultValue);
    };
    form.addEventListener("input", function (event) {
      if (event.target.matches("input.count")) mark(event.target);
    });

    // Paste: a block fills the boxes to the right of and below the box it
    // lands in, all of it or nothing, as a spreadsheet would.
    table.addEventListener("paste", function (event) {
      var input = event.target;
      if (!input.matches || !input.matches("input.count") || !event.clipboardData) return;
      var text = event.clipboardData.getData("text/plain");
      if (!/[\t\n\r]/.test(text)) return; // one value: the box takes it as typed
      event.preventDefault();
      var block = parsePaste(text);
      var at = where(input);
      if (!at || block.length === 0) return;
      var width = 0;
      block.forEach(function (row) { width = Math.max(width, row.length); });
      var rooms = { rows: cells.length - at.r, cols: cells[at.r].length - at.c };
      var from = cells[at.r][at.c].getAttribute("data-label");
      if (block.length > rooms.rows || width > rooms.cols) {
        say(fill(words.paste.too_big, { rows: block.length, cols: width, cell: from, room_rows: rooms.rows, room_cols: rooms.cols }), true);
        return;
      }
      var todo = [];
      for (var i = 0; i < block.length; i++) {
        for (var j = 0; j < block[i].length; j++) {
          var td = cells[at.r + i][at.c + j];
          var box = td.querySelector("input.count");
          if (!box) {
            say(fill(words.paste.not_typable, { cell: td.getAttribute("data-label"), row: i + 1, col: j + 1 }), true);
            return;
          }
          var value = trim(block[i][j]);
          if (value !== "") {
            var p = parseCount(value);
            if (p.problem) {
              say(fill(words.paste.bad_value, { cell: td.getAttribute("data-label"), row: i + 1, col: j + 1,
                problem: fill(words.count[p.problem], { value: p.shown }) }), true);
              return;
            }
          }
          todo.push({ box: box, value: value, label: td.getAttribute("data-label") });
        }
      }
      todo.forEach(function (t) {
        t.box.value = t.value;
        mark(t.box);
      });
      input.select();
      say(fill(words.paste.done, { first: from, last: todo[todo.length - 1].label }), false);
    });

    // Keys: arrows and Enter move, as in a spreadsheet; Alt+H opens the history.
    table.addEventListener("keydown", function (event) {
      var el = event.target;
      var at = where(el);
      if (!at || event.ctrlKey || event.metaKey || event.isComposing || event.keyCode === 229) return; // 229: an input method is composing
      if (event.altKey) {
        if (event.code === "KeyH" || event.key === "h" || event.key === "H") {
          var link = cells[at.r][at.c].querySelector("a.cell-history") || control(cells[at.r][at.c]);
          if (link && link.href) {
            event.preventDefault();
            window.location.href = link.href;
          }
        }
        return;
      }
      var isBox = el.matches("input.count");
      var whole = isBox && el.selectionStart === 0 && el.selectionEnd === el.value.length;
      var dr = 0, dc = 0;
      switch (event.key) {
        case "ArrowUp": dr = -1; break;
        case "ArrowDown": dr = 1; break;
        case "Enter": if (!isBox) return; dr = event.shiftKey ? -1 : 1; break;
        case "ArrowLeft": if (isBox && !whole && el.selectionEnd > 0) return; dc = -1; break;
        case "ArrowRight": if (isBox && !whole && el.selectionStart < el.value.length) return; dc = 1; break;
        default: return;
      }
      if (event.shiftKey && event.key !== "Enter") return;
      event.preventDefault(); // Enter does not send the form from a box; Ctrl+S or the button does
      var r = at.r + dr, c = at.c + dc;
      if (r < 0 || r >= cells.length || c < 0 || c >= cells[r].length) return;
      var next = control(cells[r][c]);
      if (!next) return;
      next.focus();
      if (next.select) next.select();
    });

    // Enter in a box moves (above); it does not send the form.
    table.addEventListener("keypress", function (event) {
      if (event.key === "Enter" && event.target.matches("input.count")) event.preventDefault();
    });

    // Ctrl+S (⌘S on a Mac) saves the month, as the Save button does, unless
    // the person is writing in another form on the page (a comment).
    var save = form.querySelector("button[type=submit]");
    document.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      if (event.code !== "KeyS" && event.key !== "s" && event.key !== "S") return;
      var active = document.activeElement;
      if (active && active.form && active.form !== form) return;
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit(save || undefined);
      else form.submit();
    });
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
  }
  return { parseCount: parseCount, parsePaste: parsePaste, showValue: showValue, fill: fill };
})();
