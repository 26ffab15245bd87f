package web

import (
	"hrx/internal/figures"
	"hrx/internal/i18n"
)

// countProblems are the ways figures.ParseCount refuses a value: the last
// part of its message ids (count.PROBLEM), which grid.js names too.
var countProblems = []string{"empty", "not_count", "decimal", "underscore", "grouping", "too_big"}

// gridWords are the sentences the month grid's script (web/static/grid.js)
// shows, written in the reader's language on the server, with {name} where
// the script puts a value: the count rule's refusals ({value}) and what a
// paste did or why it was refused.
type gridWords struct {
	Count map[string]string `json:"count"`
	Paste map[string]string `json:"paste"`
}

func newGridWords(l i18n.Locale) gridWords {
	w := gridWords{Count: map[string]string{}, Paste: map[string]string{}}
	for _, p := range countProblems {
		args := []any{"value", "{value}"}
		if p == "too_big" {
			args = append(args, "max", int64(figures.MaxCount))
		}
		w.Count[p] = l.Tr(i18n.M("count."+p, args...))
	}
	w.Paste["too_big"] = l.Tr(i18n.M("grid.paste.too_big", "rows", "{rows}", "cols", "{cols}", "cell", "{cell}",
		"room_rows", "{room_rows}", "room_cols", "{room_cols}"))
	w.Paste["not_typable"] = l.Tr(i18n.M("grid.paste.not_typable", "cell", "{cell}"))
	w.Paste["bad_value"] = l.Tr(i18n.M("grid.paste.bad_value", "cell", "{cell}", "problem", "{problem}"))
	w.Paste["done"] = l.Tr(i18n.M("grid.paste.done", "first", "{first}", "last", "{last}"))
	return w
}
