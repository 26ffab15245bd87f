package imports_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hrx/internal/db/dbtest"
	"hrx/internal/imports"
	"hrx/internal/upload"
)

// TestStageKeepsTheFirstIssues stages a file wrong on every line: the counts
// on the import are exact, but only the first IssuesKept errors and warnings
// are kept, and the problems list ends by saying how many more there are.
func TestStageKeepsTheFirstIssues(t *testing.T) {
	d := dbtest.New(t)
	s := imports.NewStore(d)
	ctx := context.Background()
	const n, broken, unknown = 4000, 2500, 1500
	// The header names 1,500 columns that do not exist (a warning each); the
	// first 2,500 lines have a count that is not a number (an error each).
	file := bigFile(n, func(i int, count string) string {
		if i < broken {
			return "many"
		}
		return count
	})
	var header strings.Builder
	for i := range unknown {
		fmt.Fprintf(&header, ",extra %d", i)
	}
	file = strings.Replace(file, "\n", header.String()+"\n", 1)
	im := stage(t, s, "wrong.csv", file, imports.Merge)
	if im.ErrorCount != broken || im.WarningCount != unknown || im.RowCount != n {
		t.Fatalf("counts: %d errors, %d warnings, %d rows; want %d, %d, %d", im.ErrorCount, im.WarningCount, im.RowCount, broken, unknown, n)
	}
	var kept int64
	d.R.Raw("SELECT COUNT(*) FROM import_issues WHERE import_id = ?", im.ID).Scan(&kept)
	if kept != 2*imports.IssuesKept {
		t.Errorf("%d issue rows kept, want %d", kept, 2*imports.IssuesKept)
	}
	for sev, lines := range map[string][2]int{"error": {2, imports.IssuesKept + 1}, "warning": {1, 1}} {
		issues, err := s.Issues(ctx, im.ID, sev, 0)
		if err != nil || len(issues) != imports.IssuesKept || issues[0].Line != lines[0] || issues[len(issues)-1].Line != lines[1] {
			t.Fatalf("%s: %v, %d kept", sev, err, len(issues))
		}
	}
	sum, err := s.SummaryOf(ctx, im)
	if err != nil || sum.ErrorCount != broken || len(sum.Errors) != imports.MaxListed || !sum.ErrorsTruncated {
		t.Errorf("summary: %v, %d errors, %d listed, truncated %v", err, sum.ErrorCount, len(sum.Errors), sum.ErrorsTruncated)
	}

	// The problems download lists what was kept, then the numbers not listed.
	var all []upload.Issue
	var sevs []string
	err = s.EachIssue(ctx, im.ID, func(sev string, is upload.Issue) error {
		all, sevs = append(all, is), append(sevs, sev)
		return nil
	})
	if err != nil || len(all) != 2*imports.IssuesKept+2 {
		t.Fatalf("EachIssue: %v, %d issues", err, len(all))
	}
	last := all[len(all)-2:]
	if sevs[len(sevs)-2] != "error" || !strings.HasPrefix(last[0].Msg.String(), "1,500 more errors after these are not listed: only the first 1,000 errors") ||
		sevs[len(sevs)-1] != "warning" || !strings.HasPrefix(last[1].Msg.String(), "500 more warnings after these are not listed") {
		t.Errorf("notes: %s %+v, %s %+v", sevs[len(sevs)-2], last[0], sevs[len(sevs)-1], last[1])
	}

	// A file within the limit gets no note.
	small := stage(t, s, "small.csv", "month,direction,category,count\n2025-09,IN-JP,student,many\n", imports.Merge)
	n2 := 0
	s.EachIssue(ctx, small.ID, func(string, upload.Issue) error { n2++; return nil })
	if small.ErrorCount != 1 || n2 != 1 {
		t.Errorf("small file: %d errors, %d listed", small.ErrorCount, n2)
	}
}
