package cli

import (
	"strings"
	"testing"
	"time"
)

func TestDemoDate(t *testing.T) {
	now := time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	if d, err := demoDate("", now); err != nil || !d.Equal(now) {
		t.Errorf("no --date: %v, %v; want today", d, err)
	}
	for _, day := range []string{"2026-12-31", "2026-11-01", "2024-10-01"} {
		d, err := demoDate(day, now)
		if err != nil || d.Format(time.DateOnly) != day {
			t.Errorf("--date %s: %v, %v", day, d, err)
		}
	}
	for day, want := range map[string]string{
		"2027-01-01": "after this month",
		"2024-09-30": "too early",
		"1 Dec 2026": "a day such as",
		"2026-02-30": "a day such as",
	} {
		if _, err := demoDate(day, now); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--date %s: %v, want an error saying %q", day, err, want)
		}
	}
}
