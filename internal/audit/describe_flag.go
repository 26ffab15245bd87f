package audit

import (
	"strings"

	"hrx/internal/i18n"
	"hrx/internal/month"
)

// flagConfirm is the sentence for a publisher's confirmation of a figure
// flagged as far from its recent level (its reason is the entry's reason):
// "Confirmed Students, India to Japan, October 2025 as it is: 412, far from
// its recent level", or the same of a month's total ("2025-10/total").
func flagConfirm(e Entry, b, a record, n Names) (i18n.Msg, bool) {
	value, ok := a.int("total")
	if m, isTotal := strings.CutSuffix(e.EntityKey, "/total"); isTotal {
		mon, err := month.Parse(m)
		return i18n.M("audit.what.flag.confirm_total", "month", mon, "value", value), ok && err == nil
	}
	cell, okCell := cellOf(e.EntityKey, n)
	return i18n.M("audit.what.flag.confirm", "cell", cell, "value", value), ok && okCell
}
