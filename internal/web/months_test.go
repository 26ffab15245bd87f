package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"hrx/internal/audit"
	"hrx/internal/figures"
	"hrx/internal/imports"
	"hrx/internal/month"
	"hrx/internal/users"
)

func grid(t *testing.T, e *env, m string) figures.Grid {
	t.Helper()
	g, err := figures.NewStore(e.db).Grid(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestMonthGridShowsEveryCategoryWithAccessibleNames(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	st, body := b.get("/months/2025-09")
	if st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	mustContain(t, body,
		`<label class="visually-hidden" for="c-IN-JP-student">Students, India to Japan</label>`,
		`<label class="visually-hidden" for="c-JP-IN-engineer">Engineers, IT and specialist professionals, Japan to India</label>`,
		"Save September 2025",
	)
	if n := strings.Count(body, `class="count"`); n != 20 {
		t.Errorf("%d inputs, want 20 (10 categories × 2 directions)", n)
	}
}

func TestMonthSave(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	b.get("/months/2025-09")
	st, _ := b.post("/months/2025-09", url.Values{
		"c.IN-JP.student": {"143"}, "v.IN-JP.student": {"0"},
		"c.IN-JP.ssw": {"1,234"}, "v.IN-JP.ssw": {"0"},
		"c.JP-IN.business": {"0"}, "v.JP-IN.business": {"0"},
		"c.JP-IN.student": {""}, "v.JP-IN.student": {"0"},
	})
	if st != http.StatusSeeOther || b.lastTo != "/months/2025-09" {
		t.Fatalf("save: %d to %q", st, b.lastTo)
	}
	_, body := b.get("/months/2025-09")
	mustContain(t, text(body), "Saved 3 figures for September 2025")
	g := grid(t, e, "2025-09")
	for key, want := range map[string]int64{"IN-JP|student": 143, "IN-JP|ssw": 1234, "JP-IN|business": 0} {
		if c := g.Cells[key]; c.Plain == nil || c.Total != want {
			t.Errorf("%s = %+v, want %d", key, c, want)
		}
	}
	if _, ok := g.Cells["JP-IN|student"]; ok {
		t.Error("an empty box was saved as a figure")
	}
	mustContain(t, body, `value="1234"`)
	// The totals row and column follow.
	mustContain(t, text(body), "Total 1,377 0 1,377")
}

func TestMonthSaveRejectsBadInputAndSavesNothing(t *testing.T) {
	tests := []struct {
		name, value, message string
	}{
		{"negative", "-4", "-4 is not a count; write a whole number of people, 0 or more"},
		{"text", "many", "many is not a count; write a whole number of people, 0 or more"},
		{"decimal", "12.5", "12.5 is not a whole number; write the number of people without decimals"},
		{"too large", "10000001", "10000001 is more than 10,000,000, the most one row can hold; check the number"},
		{"underscores", "1_000", "1_000 is not a count; write it without underscores, for example 1000 or 1,000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.addUser("ed@example.gov.in", users.Editor)
			b := e.browser()
			b.signIn("ed@example.gov.in")
			b.get("/months/2025-09")
			st, body := b.post("/months/2025-09", url.Values{
				"c.IN-JP.student": {"143"}, "v.IN-JP.student": {"0"},
				"c.IN-JP.ssw": {tt.value}, "v.IN-JP.ssw": {"0"},
			})
			if st != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", st)
			}
			mustContain(t, body,
				"<title>Error: Figures for September 2025",
				`class="error-summary"`,
				`<a href="#c-IN-JP-ssw">Specified skilled workers, India to Japan: `+tt.message,
				`id="c-IN-JP-ssw-error"`,
				`aria-invalid="true"`,
				`value="`+tt.value+`"`, // the person's input is kept
				`value="143"`,
			)
			if g := grid(t, e, "2025-09"); len(g.Cells) != 0 {
				t.Errorf("something was saved: %+v", g.Cells)
			}
		})
	}
}

func TestMonthSaveConflict(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.gov.in", users.Editor)
	e.addUser("b@example.gov.in", users.Editor)
	a, b := e.browser(), e.browser()
	a.signIn("a@example.gov.in")
	b.signIn("b@example.gov.in")
	a.get("/months/2025-09")
	b.get("/months/2025-09")
	if st, _ := b.post("/months/2025-09", url.Values{"c.IN-JP.student": {"150"}, "v.IN-JP.student": {"0"}}); st != http.StatusSeeOther {
		t.Fatalf("b's save: %d", st)
	}
	// a loaded the page before b saved: refused, b's value shown, nothing overwritten.
	st, body := a.post("/months/2025-09", url.Values{"c.IN-JP.student": {"99"}, "v.IN-JP.student": {"0"}, "c.IN-JP.ssw": {"5"}, "v.IN-JP.ssw": {"0"}})
	if st != http.StatusConflict {
		t.Fatalf("a's save: %d, want 409", st)
	}
	mustContain(t, text(body), "Someone else saved this month after you opened it", "Students, India to Japan: 150", "b@example.gov.in")
	mustContain(t, body, `value="99"`)
	g := grid(t, e, "2025-09")
	if g.Cells["IN-JP|student"].Total != 150 || len(g.Cells) != 1 {
		t.Errorf("after the conflict: %+v", g.Cells)
	}
	// The re-shown form carries the new versions: saving again is a deliberate overwrite.
	if st, _ := a.post("/months/2025-09", url.Values{"c.IN-JP.student": {"99"}, "v.IN-JP.student": {"1"}}); st != http.StatusSeeOther {
		t.Errorf("deliberate second save: %d", st)
	}
	if g := grid(t, e, "2025-09"); g.Cells["IN-JP|student"].Total != 99 {
		t.Errorf("second save did not apply: %+v", g.Cells["IN-JP|student"])
	}
}

func TestBrokenDownCellIsALink(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	e.insert(
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-KA", Destination: "JP-13", Count: 412},
		figures.Figure{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Sector: "it_software", Origin: "IN-MH", Destination: "JP-14", Count: 198},
	)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	_, body := b.get("/months/2025-09")
	if strings.Contains(body, `name="c.IN-JP.engineer"`) {
		t.Error("a broken-down cell has an input")
	}
	mustContain(t, body, `href="/months/2025-09/rows?direction=IN-JP&amp;category=engineer#edit"`, ">610</a>")
	st, rows := b.get("/months/2025-09/rows?direction=IN-JP&category=engineer")
	if st != http.StatusOK {
		t.Fatalf("rows page: %d", st)
	}
	mustContain(t, text(rows), "Karnataka", "Tokyo", "412", "198", "Total 610")
	// A forged input for that cell is refused as a conflict, and nothing changes.
	st, _ = b.post("/months/2025-09", url.Values{"c.IN-JP.engineer": {"5"}, "v.IN-JP.engineer": {"0"}})
	if st != http.StatusConflict {
		t.Errorf("forged save over a broken-down cell: %d", st)
	}
	if g := grid(t, e, "2025-09"); g.Cells["IN-JP|engineer"].Total != 610 {
		t.Errorf("broken-down cell changed: %+v", g.Cells["IN-JP|engineer"])
	}
}

func TestMonthsList(t *testing.T) {
	e := newEnv(t)
	e.addUser("v@example.gov.in", users.Viewer)
	e.insert(figures.Figure{Month: "2025-10", Direction: "IN-JP", Category: "student", Count: 1500})
	b := e.browser()
	b.signIn("v@example.gov.in")
	st, body := b.get("/months")
	if st != http.StatusOK {
		t.Fatal(st)
	}
	mustContain(t, text(body), "October 2025 1,500 1 Has data", "September 2025 — — No data", "September 2024")
	for _, bad := range []string{"/months/2025-13", "/months/2099-01", "/months/nonsense"} {
		if st, _ := b.get(bad); st != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, st)
		}
	}
}

func TestMonthSaveIsAudited(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	b.get("/months/2025-09")
	b.post("/months/2025-09", url.Values{"c.IN-JP.student": {"10"}, "v.IN-JP.student": {"0"}})
	b.get("/months/2025-09")
	b.post("/months/2025-09", url.Values{"c.IN-JP.student": {"12"}, "v.IN-JP.student": {"1"}})
	var entries []struct{ Action, Actor, Before, After string }
	e.db.R.Raw("SELECT action, actor, before, after FROM audit_log WHERE entity = 'figure' ORDER BY id").Scan(&entries)
	if len(entries) != 2 {
		t.Fatalf("%d audit entries: %+v", len(entries), entries)
	}
	if entries[1].Action != "update" || entries[1].Actor != "ed@example.gov.in" || !strings.Contains(entries[1].Before, `"count":10`) || !strings.Contains(entries[1].After, `"count":12`) {
		t.Errorf("update entry: %+v", entries[1])
	}
}

func TestMonthNavigation(t *testing.T) {
	e := newEnv(t)
	e.addUser("v@example.gov.in", users.Viewer)
	b := e.browser()
	b.signIn("v@example.gov.in")
	_, body := b.get("/months/2025-09")
	mustContain(t, body, `href="/months/2025-08" rel="prev"`, `href="/months/2025-10" rel="next"`)
}

// countCase is one line of internal/figures/testdata/counts.json, the table
// of the one count rule.
type countCase struct {
	In      string `json:"in"`
	Count   *int64 `json:"count"`
	Refused string `json:"refused"`
}

// TestGridAndUploadReadCountsAlike runs every case of the count rule's table
// through the month grid and through an upload: each gives the same count,
// or refuses with the same words. Only an empty value differs, on purpose: an
// empty box in the grid means no figure, while a row of a file needs a count.
func TestGridAndUploadReadCountsAlike(t *testing.T) {
	b, err := os.ReadFile("../figures/testdata/counts.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []countCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	br := e.browser()
	br.signIn("ed@example.gov.in")
	ctx := context.Background()
	first := month.New(2020, 1)

	// The upload: one row a case, each in its own month.
	var file bytes.Buffer
	w := csv.NewWriter(&file)
	w.Write([]string{"month", "direction", "category", "count"})
	lineOf := make([]int, len(cases)) // where each row starts: a value may hold a line break
	next := 2
	for i, tt := range cases {
		w.Write([]string{first.Add(i).String(), "IN-JP", "student", tt.In})
		lineOf[i], next = next, next+1+strings.Count(tt.In, "\n")
	}
	w.Flush()
	s := imports.NewStore(e.db)
	im, err := s.Stage(ctx, audit.System("test"), imports.Upload{Name: "counts.csv", Body: bytes.NewReader(file.Bytes()), Mode: "merge"})
	if err != nil {
		t.Fatal(err)
	}
	issues, err := s.Issues(ctx, im.ID, "error", 1000)
	if err != nil {
		t.Fatal(err)
	}
	refusedByLine := map[int]string{}
	for _, is := range issues {
		refusedByLine[is.Line] = is.Error()
	}
	added, err := s.Added(ctx, im.ID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	countByLine := map[int]int64{}
	for _, r := range added {
		countByLine[r.Line] = r.Count
	}

	for i, tt := range cases {
		m, line := first.Add(i).String(), lineOf[i]
		br.get("/months/" + m)
		st, body := br.post("/months/"+m, url.Values{"c.IN-JP.student": {tt.In}, "v.IN-JP.student": {"0"}})
		gridCell, gridSaved := grid(t, e, m).Cells["IN-JP|student"]
		upCount, upAdded := countByLine[line]
		upRefusal := refusedByLine[line]
		var want string
		if tt.Refused != "" {
			_, msg := figures.ParseCount(tt.In)
			want = strings.Join(strings.Fields(msg.String()), " ")
		}
		switch {
		case tt.Count != nil:
			if st != http.StatusSeeOther || !gridSaved || gridCell.Total != *tt.Count {
				t.Errorf("grid %q: %d, %+v; want %d saved", tt.In, st, gridCell, *tt.Count)
			}
			if !upAdded || upCount != *tt.Count || upRefusal != "" {
				t.Errorf("upload %q: %d %v %q; want %d", tt.In, upCount, upAdded, upRefusal, *tt.Count)
			}
		case tt.Refused == "count.empty":
			if st != http.StatusSeeOther || gridSaved {
				t.Errorf("grid %q: %d, %+v; want no figure", tt.In, st, gridCell)
			}
			if upAdded || !strings.HasSuffix(upRefusal, want) {
				t.Errorf("upload %q: %q; want %q", tt.In, upRefusal, want)
			}
		default:
			if st != http.StatusUnprocessableEntity || gridSaved || !strings.Contains(text(body), want) {
				t.Errorf("grid %q: %d, saved %v; want refused with %q", tt.In, st, gridSaved, want)
			}
			if upAdded || !strings.HasSuffix(strings.Join(strings.Fields(upRefusal), " "), want) {
				t.Errorf("upload %q: %q; want %q", tt.In, upRefusal, want)
			}
		}
	}
}
