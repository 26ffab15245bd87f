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
	mustContain(t, text(body), "Error: Targets – HRX", "Address: Enter 2 to 60 lower-case letters", "Target: Enter the number of people to reach",
		"Milestones: Line 1: lots is not a number of people", "Directions: Choose at least one direction")
	// A new students target, India to Japan, with a milestone.
	st, _ = b.post("/admin/targets", url.Values{"slug": {"students-in-japan"}, "name_en": {"Indian students in Japan"}, "value": {"10,000"},
		"start": {"2025-09"}, "end": {"2026-08"}, "directions": {"IN-JP"}, "categories": {"student"}, "published": {"on"}, "milestones": {"2026-02 1000"}})
	if st != http.StatusSeeOther {
		t.Fatalf("add: %d", st)
	}
	_, body = b.get("/admin/targets")
	mustContain(t, text(body), "Saved the target Indian students in Japan; its progress is worked out again from now on",
		"Indian students in Japan students-in-japan 10,000 September 2025 – August 2026 (1 milestone) India to Japan; Students yes")
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

// TestAdminTargetsInJapanese: the page, its refusals and its confirmation in
// the reader's language, names from the reference lists in theirs.
func TestAdminTargetsInJapanese(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	e.addUser("admin@example.gov.in", users.Admin)
	b := e.browser()
	b.get("/language?lang=ja")
	b.signIn("admin@example.gov.in")
	_, body := b.get("/admin/targets")
	mustContain(t, text(body), "目標の追加", "算入する方向", "インドから日本", "2025年9月～2030年8月", "双方向／すべての区分")
	st, body := b.post("/admin/targets", url.Values{"slug": {"x"}, "value": {"0"}, "start": {"2025-09"}, "end": {"2025-08"}, "directions": {"IN-JP"},
		"milestones": {"2026-01 5\n2031-01 9"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", st)
	}
	mustContain(t, text(body), "アドレス：", "英語名：目標の英語名を入力してください", "終了月：終了月を開始月より前にすることはできません")
	st, body = b.post("/admin/targets", url.Values{"slug": {"students-in-japan"}, "name_en": {"Indian students in Japan"}, "name_ja": {"在日インド人留学生"},
		"value": {"10000"}, "start": {"2025-09"}, "end": {"2026-08"}, "directions": {"IN-JP"}, "milestones": {"2027-01 5"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("milestone outside the window: %d", st)
	}
	mustContain(t, text(body), "マイルストーン：1行目：2027年1月は目標の対象期間外です")
	st, _ = b.post("/admin/targets", url.Values{"slug": {"students-in-japan"}, "name_en": {"Indian students in Japan"}, "name_ja": {"在日インド人留学生"},
		"value": {"10000"}, "start": {"2025-09"}, "end": {"2026-08"}, "directions": {"IN-JP"}})
	if st != http.StatusSeeOther {
		t.Fatalf("add: %d", st)
	}
	_, body = b.get("/admin/targets")
	mustContain(t, text(body), "目標「在日インド人留学生」を保存しました", "在日インド人留学生を変更")
}
