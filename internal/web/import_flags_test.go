package web_test

import (
	"net/http"
	"strings"
	"testing"

	"hrx/internal/figures"
	"hrx/internal/users"
)

// TestUploadPreviewFlags: the preview says which figures are far from their
// recent level, in words with an icon, beside each changed or new figure and
// in a list with the summary; applying is still offered and works.
func TestUploadPreviewFlags(t *testing.T) {
	e := newEnv(t)
	fig := func(m, cat string, n int64) figures.Figure {
		return figures.Figure{Month: m, Direction: "IN-JP", Category: cat, Count: n, Status: figures.Final}
	}
	rows := []figures.Figure{fig("2024-09", "engineer", 84), fig("2025-09", "student", 200)}
	for _, m := range []string{"2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08"} {
		rows = append(rows, fig(m, "engineer", 75), fig(m, "student", 200))
	}
	e.insert(rows...)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")

	// September's engineers, 412 in two figures (far above 75 a month and 84 a
	// year before); its students changed from 200 to 20 (far below); a first
	// figure of professionals (nothing to compare with).
	at, body := upload(t, b, "september.csv", []byte("month,direction,category,sector,count\n"+
		"2025-09,IN-JP,engineer,industrial_manufacturing,400\n"+
		"2025-09,IN-JP,engineer,,12\n"+
		"2025-09,IN-JP,student,,20\n"+
		"2025-09,IN-JP,hsp,,10\n"), "merge")
	page := text(body)
	mustContain(t, page,
		"3 figures are far from their recent level; the file can still be applied.",
		// the list: each cell with its total, median and year-earlier value, then the month's total
		"September 2025 · Engineers, IT and specialist professionals · India to Japan 412 75 84 (September 2024) ▲ Far above its recent level: 412 is 5.5 times the median of its last 6 months with figures (75) and 4.9 times September 2024 (84)",
		"September 2025 · Students · India to Japan 20 200 — ▼ Far below its recent level: 20 is 10% of the median of its last 6 months with figures (200)",
		"Total of September 2025 442 — — ▲ Far above its recent level: The month’s total, 442, is 60.7% more than August 2025 (275)",
		// beside the changed figure, which is the whole of its cell
		"Compared with recent months",
		"200 → 20 −180 ▼ Far below its recent level: 20 is 10% of the median",
		// beside each new figure, which is part of its cell
		"= 400 ▲ Far above its recent level: The total for this month, direction and category: 412 is 5.5 times",
	)
	mustContain(t, body, `<span class="status-icon" aria-hidden="true">▲</span>`, `action="`+at+`/apply"`)
	if strings.Contains(page, "hsp 10 ▲") || strings.Count(page, "Far above its recent level") != 4 {
		t.Errorf("flags where there should be none:\n%s", page)
	}
	if st, _ := b.post(at+"/apply", confirmed()); st != http.StatusSeeOther {
		t.Fatalf("apply with flags: %d", st)
	}
	// Applied: the figures are the figures now; the page no longer previews flags.
	if _, body := b.get(at); strings.Contains(body, "far from their recent level") {
		t.Error("an applied import still shows the preview's flags")
	}

	// A file near the level says so.
	_, body = upload(t, b, "august.csv", []byte("month,direction,category,count\n2025-08,IN-JP,student,210\n"), "merge")
	mustContain(t, text(body), "No figure in this file is far from its recent level.")
	// A file with errors is not compared at all.
	_, body = upload(t, b, "bad.csv", []byte("month,direction,category,count\n2025-10,IN-JP,student,5000\n2025-10,IN-JP,nosuch,1\n"), "merge")
	if strings.Contains(body, "recent level") {
		t.Error("a file with errors is compared with recent months")
	}
}
