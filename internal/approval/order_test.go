package approval_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/settings"
	"hrx/internal/users"
)

// orderWindows replaces the seeded targets with two whose windows leave a gap:
// 2025-09..2025-12 and 2026-03..2026-06 (months of 2026-01 and 2026-02 belong to no window).
func orderWindows(t *testing.T, d *db.DB) {
	t.Helper()
	for _, q := range []string{
		`DELETE FROM target_milestones`,
		`DELETE FROM targets`,
		`INSERT INTO targets (slug, name_en, value, start_month, end_month, directions, categories, skilled_only, published, position)
			VALUES ('autumn', 'Autumn', 100, '2025-09', '2025-12', '', '', FALSE, TRUE, 1)`,
		`INSERT INTO targets (slug, name_en, value, start_month, end_month, directions, categories, skilled_only, published, position)
			VALUES ('spring', 'Spring', 100, '2026-03', '2026-06', '', '', FALSE, FALSE, 2)`,
	} {
		if err := d.W.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// TestOrderRule is the order rule as a table: the month to publish, the
// months before it (with or without figures, in which state), and the
// refusal (or "" for allowed). The same answer comes from CheckPublish (what
// the page asks before acting), Do (the month page's publish) and
// PublishRange (the command line).
func TestOrderRule(t *testing.T) {
	type before struct {
		month   string
		figures bool
		state   string // open, submitted, published, nothing (to report), reopened
	}
	tests := []struct {
		name    string
		earlier []before
		publish string
		want    string
	}{
		{"the first month of a window", nil, "2025-09", ""},
		{"months before the windows do not block",
			[]before{{"2025-07", true, "open"}, {"2025-08", false, "open"}}, "2025-09", ""},
		{"a month before the windows is not blocked",
			[]before{{"2025-07", true, "submitted"}}, "2025-08", ""},
		{"every earlier month published",
			[]before{{"2025-09", true, "published"}, {"2025-10", true, "published"}}, "2025-11", ""},
		{"an earlier month open with figures",
			[]before{{"2025-09", true, "published"}, {"2025-10", true, "open"}}, "2025-11",
			"November 2025 cannot be published yet: months are published in order, and October 2025 is not published. It is open; an editor must submit it for review, and an approver publish it, first"},
		{"the first gap is named",
			[]before{{"2025-09", true, "open"}, {"2025-10", true, "open"}}, "2025-11",
			"and September 2025 is not published. It is open"},
		{"an earlier month submitted",
			[]before{{"2025-09", true, "published"}, {"2025-10", true, "submitted"}}, "2025-11",
			"and October 2025 is not published. It was submitted for review by ed@example.gov.in on "},
		{"an earlier month with no figures",
			[]before{{"2025-09", true, "published"}, {"2025-10", false, "open"}}, "2025-11",
			"and October 2025 is not published. It has no figures; enter them, or an approver can publish it as “nothing to report”, giving the reason"},
		{"an earlier month published as nothing to report",
			[]before{{"2025-09", true, "published"}, {"2025-10", false, "nothing"}}, "2025-11", ""},
		{"an earlier month reopened for revision (the public keeps its publication)",
			[]before{{"2025-09", true, "published"}, {"2025-10", true, "reopened"}}, "2025-11", ""},
		{"a month between the windows does not block the next window",
			[]before{{"2025-09", true, "published"}, {"2025-10", true, "published"}, {"2025-11", true, "published"}, {"2025-12", true, "published"},
				{"2026-01", true, "open"}, {"2026-02", false, "open"}}, "2026-03", ""},
		{"the next window waits for the first (an unpublished target's window counts too)",
			[]before{{"2025-09", true, "published"}, {"2025-10", true, "published"}, {"2025-11", true, "published"}, {"2025-12", true, "open"}}, "2026-03",
			"and December 2025 is not published"},
		{"a month between the windows is not blocked",
			[]before{{"2025-09", true, "open"}}, "2026-01", ""},
		{"a month after every window is not blocked",
			[]before{{"2025-09", true, "open"}}, "2026-07", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			d := dbtest.New(t)
			orderWindows(t, d)
			s := approval.NewStore(d, figures.NewStore(d))
			ed, ap := people(t, d)
			// The order rule does not depend on who publishes.
			if err := settings.NewStore(d).Set(ctx, audit.System("test"), map[string]string{"four_eyes": "off"}); err != nil {
				t.Fatal(err)
			}
			add := func(m string) {
				seed(t, d, figures.Figure{Month: m, Direction: "IN-JP", Category: "student", Count: 3})
			}
			do := func(m string, a approval.Action, comment string) {
				t.Helper()
				who := ap
				if a == approval.Submit {
					who = ed
				}
				if _, err := s.Do(ctx, who, users.Approver, m, a, comment); err != nil {
					t.Fatalf("%s %s: %v", a, m, err)
				}
			}
			for _, b := range tt.earlier {
				if b.figures {
					add(b.month)
				}
				switch b.state {
				case "submitted":
					do(b.month, approval.Submit, "")
				case "published", "reopened":
					do(b.month, approval.Submit, "")
					do(b.month, approval.Publish, "")
					if b.state == "reopened" {
						do(b.month, approval.Reopen, "a revision")
					}
				case "nothing":
					do(b.month, approval.NothingToReport, "no departures were recorded")
				}
			}
			add(tt.publish)
			m := month.MustParse(tt.publish)
			check := func(path string, err error) {
				t.Helper()
				switch {
				case tt.want == "" && err != nil:
					t.Errorf("%s: refused: %v", path, err)
				case tt.want != "" && (apperr.KindOf(err) != apperr.Conflict || !strings.Contains(fmt.Sprint(err), tt.want)):
					t.Errorf("%s: got %v (%v), want %q", path, err, apperr.KindOf(err), tt.want)
				}
			}
			do(tt.publish, approval.Submit, "")
			check("CheckPublish", s.CheckPublish(ctx, ap, users.Approver, m, approval.Publish))
			if tt.want != "" {
				res, err := s.PublishRange(ctx, audit.System("test"), m, m, approval.RangeOptions{})
				if err != nil || res.StoppedAt != m {
					t.Errorf("PublishRange: %+v %v", res, err)
				}
				check("PublishRange", res.Stopped)
			}
			_, err := s.Do(ctx, ap, users.Approver, tt.publish, approval.Publish, "")
			check("Do", err)
			if st, _ := s.State(ctx, m); (st.State == approval.Published) != (tt.want == "") {
				t.Errorf("after the attempt %s is %s", tt.publish, st.State)
			}
		})
	}
}
