package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"hrx/internal/users"
)

func TestAdminTargets(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	e.addUser("admin@example.gov.in", users.Admin)
	b := e.browser()
	b.signIn("admin@example.gov.in")
	b.get("/admin/targets")
	st, body := b.post("/admin/targets", url.Values{"slug": {"Bad Slug"}, "value": {"-5"}, "start": {"2025-13"}, "end": {"2030-08"},
		"milestones": {"2027-08 lots"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", st)
	}
	mustContain(t, body, `href="#slug"`, `href="#name_en"`, `href="#value"`, `href="#start"`, `href="#directions"`, `href="#milestones"`)
	// A new students target, India to Japan, with a milestone.
	st, _ = b.post("/admin/targets", url.Values{"slug": {"students-in-japan"}, "name_en": {"Indian students in Japan"}, "value": {"10,000"},
		"start": {"2025-09"}, "end": {"2026-08"}, "directions": {"IN-JP"}, "categories": {"student"}, "published": {"on"}, "milestones": {"2026-02 1000"}})
	if st != http.StatusSeeOther {
		t.Fatalf("add: %d", st)
	}
	var got map[string]any
	getJSON(t, e, "/api/v1/targets/students-in-japan", &got)
	// knownData: 100 IN-JP students in 2025-09 (the as-of month); the milestone path runs
	// from 0 before 2025-09 to 1,000 by the end of 2026-02, 6 months: 1/6 × 1000 ≈ 167.
	if got["achieved"] != 100.0 || got["expected"] != 167.0 || got["target"] != 10000.0 || got["as_of"] != "2025-09" {
		t.Errorf("new target: %v", got)
	}
	// Unpublishing hides it from the public.
	b.get("/admin/targets?edit=students-in-japan")
	b.post("/admin/targets", url.Values{"existing": {"1"}, "slug": {"students-in-japan"}, "name_en": {"Indian students in Japan"}, "value": {"10000"},
		"start": {"2025-09"}, "end": {"2026-08"}, "directions": {"IN-JP"}, "categories": {"student"}})
	if resp, _ := fetch(t, e, "/api/v1/targets/students-in-japan"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished target is public: %d", resp.StatusCode)
	}
	var n int64
	e.db.R.Raw("SELECT COUNT(*) FROM audit_log WHERE entity = 'target'").Scan(&n)
	if n != 2 {
		t.Errorf("%d audit entries for targets, want 2", n)
	}
}
