package audit

import (
	"strings"
	"unicode/utf8"

	"hrx/internal/i18n"
	"hrx/internal/month"
)

// quoteLength is how much of a comment the audit log's sentence quotes, in characters.
const quoteLength = 80

// commentCreate is the sentence for a comment on a month or on one of its
// cells, quoting its beginning: "Commented on October 2025: “Check the
// business visas…”".
func commentCreate(e Entry, b, a record, n Names) (i18n.Msg, bool) {
	text := strings.Join(strings.Fields(a.str("text")), " ") // one line
	if utf8.RuneCountInString(text) > quoteLength {
		cut := string([]rune(text)[:quoteLength])
		// At a space, when there is one in the second half: not inside a word.
		if i := strings.LastIndex(cut, " "); i > len(cut)/2 {
			cut = cut[:i]
		}
		text = strings.TrimRight(cut, " ,;:") + "…"
	}
	if strings.Count(e.EntityKey, "/") >= 2 {
		cell, ok := cellOf(e.EntityKey, n)
		return i18n.M("audit.what.comment.cell", "cell", cell, "text", quoted(text)), ok && a.has("text")
	}
	m, err := month.Parse(e.EntityKey)
	return i18n.M("audit.what.comment.month", "month", m, "text", quoted(text)), err == nil && a.has("text")
}
