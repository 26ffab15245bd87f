package web_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"hrx/internal/figures"
	"hrx/internal/users"
)

// nthMonth is the month n months after January 2004, as "2004-01".
func nthMonth(n int) string { return fmt.Sprintf("%04d-%02d", 2004+n/12, n%12+1) }

// TestPreviewSaysHowMuchItShows: a preview with more changed, new and removed
// figures than it lists says "200 of 260 shown", and each list's CSV holds
// every row in the upload file format.
func TestPreviewSaysHowMuchItShows(t *testing.T) {
	const months, added = 260, 80
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.addUser("viewer@example.gov.in", users.Viewer)
	var have []figures.Figure
	var file strings.Builder
	file.WriteString("month,direction,category,count,sector,origin,destination,status,source,note\n")
	for i := range months {
		m := nthMonth(i)
		have = append(have,
			figures.Figure{Month: m, Direction: "IN-JP", Category: "student", Count: 1, Status: "final"},
			figures.Figure{Month: m, Direction: "IN-JP", Category: "other", Count: 3, Status: "final"})
		fmt.Fprintf(&file, "%s,IN-JP,student,2,,,,final,=JASSO,\n", m)
		if i < added {
			fmt.Fprintf(&file, "%s,JP-IN,business,%d,,,,final,MOFA Japan,\n", m, 1000+i)
		}
	}
	e.insert(have...)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	at, body := upload(t, b, "many.csv", []byte(file.String()), "replace")
	page := text(body)
	mustContain(t, page, "Changed figures 260", "New figures 80", "Removed figures 260",
		"200 of 260 shown — download all as CSV", "50 of 80 shown — download all as CSV")
	if got := strings.Count(page, "200 of 260 shown"); got != 2 {
		t.Errorf("%d lists say 200 of 260 shown, want 2 (changed and removed)", got)
	}
	for _, href := range []string{at + "/changed.csv", at + "/new.csv", at + "/removed.csv"} {
		if !strings.Contains(body, `href="`+href+`"`) {
			t.Errorf("no link to %s", href)
		}
	}

	// Anyone on the staff who may see the import downloads the lists in full.
	v := e.browser()
	v.signIn("viewer@example.gov.in")
	for _, c := range []struct {
		kind  string
		rows  int
		first string
	}{
		{"changed", months, "2004-01,IN-JP,student,2,,,,final,'=JASSO,"},
		{"new", added, "2004-01,JP-IN,business,1000,,,,final,MOFA Japan,"},
		{"removed", months, "2004-01,IN-JP,other,3,,,,final,,"},
	} {
		st, csvBody := v.get(at + "/" + c.kind + ".csv")
		if st != http.StatusOK {
			t.Fatalf("%s.csv: %d", c.kind, st)
		}
		if !strings.HasPrefix(csvBody, "\uFEFFmonth,direction,category,count,sector,origin,destination,status,source,note\r\n") {
			t.Errorf("%s.csv does not start with the upload header: %.80q", c.kind, csvBody)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatalf("%s.csv: %v", c.kind, err)
		}
		if len(recs)-1 != c.rows {
			t.Errorf("%s.csv has %d rows, want %d", c.kind, len(recs)-1, c.rows)
		}
		if line := strings.Split(csvBody, "\r\n")[1]; line != c.first {
			t.Errorf("%s.csv first row %q, want %q", c.kind, line, c.first)
		}
	}
	if st, _ := e.browser().get(at + "/changed.csv"); st == http.StatusOK {
		t.Error("changed.csv downloads without signing in")
	}
}

// TestPreviewListsWhole: a list the page shows whole says no count, only the download.
func TestPreviewListsWhole(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	at, body := upload(t, b, "2025-09.csv", sample(t, "2025-09.csv"), "merge")
	if strings.Contains(text(body), " shown") {
		t.Error("a whole list says how much it shows")
	}
	mustContain(t, body, `href="`+at+`/new.csv"`)
	mustContain(t, text(body), "Download the list as CSV")
}

// TestPreviewSaysHowManyErrorsItShows: 325 errors list the first 200 and say
// so, with every error in the problems CSV.
func TestPreviewSaysHowManyErrorsItShows(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	var file strings.Builder
	file.WriteString("month,direction,category,count\n")
	for i := range 325 {
		fmt.Fprintf(&file, "%s,IN-JP,student,-%d\n", nthMonth(i%250), i+1)
	}
	at, body := upload(t, b, "bad.csv", []byte(file.String()), "merge")
	mustContain(t, text(body), "Errors 325", "200 of 325 shown — Download every error and warning (CSV)")
	_, problems := b.get(at + "/problems.csv")
	if got := strings.Count(problems, "\r\nerror,"); got != 325 {
		t.Errorf("problems.csv has %d errors, want 325", got)
	}
}
