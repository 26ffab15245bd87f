package audit

import "hrx/internal/i18n"

// bodyDescribe is the sentence for a change to a reporting body: "Added the
// reporting body Emigration desk: 4 cells, due on day 15 of the following
// month, 2 members", the same for a change, and its removal.
func bodyDescribe(id string) describer {
	return func(e Entry, b, a record, n Names) (i18n.Msg, bool) {
		r := a
		if e.Action == "delete" {
			r = b
		}
		name := n.pick(r.str("name_en"), r.str("name_ja"), r.str("name_hi"))
		if e.Action == "delete" {
			return i18n.M(id, "name", name), name != ""
		}
		cells, _ := r["cells"].([]any)
		members, _ := r["members"].([]any)
		day, ok := r.int("due_day")
		return i18n.M(id, "name", name, "n", len(cells), "day", day, "members", len(members)), ok && name != ""
	}
}

// figuresArrivals is the sentence for the demonstration database's
// arrival times: "Set when the demonstration figures of September 2024 to
// October 2026 arrived, as a reporting cycle would have (520 cells)".
func figuresArrivals(e Entry, b, a record, n Names) (i18n.Msg, bool) {
	cells, ok := a.int("cells")
	months, ok2 := monthsOf(e.EntityKey)
	return i18n.M("audit.what.figures.arrivals", "months", months, "count", cells), ok && ok2
}
