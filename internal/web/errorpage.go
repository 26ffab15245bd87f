package web

import (
	"strconv"

	"hrx/internal/i18n"
)

// errorTitle is the error page's title for a status in the reader's words:
// "Not Found", "ページが見つかりません". A status without a title of its own
// gets the general one, which names the number.
func errorTitle(l i18n.Locale, status int) string {
	id := "errorpage.title." + strconv.Itoa(status)
	if s := l.Tr(i18n.M(id)); s != id {
		return s
	}
	return l.Tr(i18n.M("errorpage.title.general", "status", strconv.Itoa(status)))
}

// Heading is the error page's heading: what went wrong, in a few words.
func (p errorPage) Heading() string { return errorTitle(p.L, p.Status) }
