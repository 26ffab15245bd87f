package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/figures"
	"hrx/internal/imports"
	"hrx/internal/reference"
	"hrx/internal/targets"
	"hrx/internal/users"
)

func TestAuditLog(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	b.get("/months/2025-09")
	b.post("/months/2025-09", url.Values{"c.IN-JP.student": {"10"}, "v.IN-JP.student": {"0"}})
	b.get("/months/2025-09")
	b.post("/months/2025-09", url.Values{"c.IN-JP.student": {"12"}, "v.IN-JP.student": {"1"}})
	st, body := b.get("/audit?kind=figure&month=2025-09&person=ed%40example.gov.in")
	if st != http.StatusOK {
		t.Fatal(st)
	}
	txt := text(body)
	mustContain(t, txt, "update figure 2025-09/IN-JP/student", `{"count":10`, `{"count":12`, "create figure", "ed@example.gov.in")
	if strings.Contains(txt, "sign-in session") {
		t.Error("the kind filter let sign-ins through")
	}
	// Newest first.
	if strings.Index(txt, "update figure") > strings.Index(txt, "create figure") {
		t.Error("not newest first")
	}
	_, body = b.get("/audit?person=nobody%40example.gov.in")
	mustContain(t, text(body), "No changes match these filters")
	if st, body := b.get("/audit?month=2025-13&from=yesterday"); st != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#month"`) || !strings.Contains(body, `href="#from"`) {
		t.Errorf("bad filters: %d", st)
	}
	st, csvBody := b.get("/audit.csv?kind=figure")
	if st != http.StatusOK || !strings.HasPrefix(csvBody, "\uFEFFid,at,person,action,kind,key,month,before,after,reason") || strings.Count(csvBody, "figure,2025-09/IN-JP/student") != 2 {
		t.Errorf("csv: %d\n%s", st, csvBody)
	}
	anon := e.browser()
	if st, _ := anon.get("/audit"); st != http.StatusSeeOther {
		t.Errorf("anonymous /audit: %d", st)
	}
}

// TestAuditEveryKindOfChange makes one change of every kind and checks the
// newest audit entry of that kind: its action, before and after.
func TestAuditEveryKindOfChange(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := audit.Actor{Name: "admin@example.gov.in"}
	fs := figures.NewStore(e.db)
	us := e.web.Users()
	latest := func(entity string) audit.Entry {
		t.Helper()
		list, err := audit.NewStore(e.db).List(ctx, audit.Filter{Entity: entity, Limit: 1})
		if err != nil || len(list) == 0 {
			t.Fatalf("no %s entry (%v)", entity, err)
		}
		return list[0]
	}
	check := func(entity, action, before, after string) {
		t.Helper()
		got := latest(entity)
		if got.Action != action || !strings.Contains(got.Before, before) || !strings.Contains(got.After, after) || got.Actor == "" {
			t.Errorf("%s: got %s by %q, before %s, after %s; want %s, before ~%s, after ~%s", entity, got.Action, got.Actor, got.Before, got.After, action, before, after)
		}
	}

	ten, twelve := int64(10), int64(12)
	if _, err := fs.SaveGrid(ctx, admin, "2025-09", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &ten}}); err != nil {
		t.Fatal(err)
	}
	check("figure", "create", "", `"count":10`)
	if _, err := fs.SaveGrid(ctx, admin, "2025-09", []figures.CellInput{{Direction: "IN-JP", Category: "student", Value: &twelve, Version: 1}}); err != nil {
		t.Fatal(err)
	}
	check("figure", "update", `"count":10`, `"count":12`)

	ims := imports.NewStore(e.db)
	im, err := ims.Stage(ctx, admin, imports.Upload{Name: "oct.csv", Body: strings.NewReader("month,direction,category,count\n2025-10,IN-JP,student,7\n"), Mode: imports.Merge})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ims.Apply(ctx, admin, im.ID); err != nil {
		t.Fatal(err)
	}
	check("import", "apply", "", `"new":1`)
	check("cell", "import", "", `"rows":1,"total":7`)
	if _, err := ims.Revert(ctx, admin, im.ID); err != nil {
		t.Fatal(err)
	}
	check("import", "revert", `"new":1`, "")
	check("cell", "revert", `"rows":1,"total":7`, "")

	if _, err := approval.NewStore(e.db, figures.NewStore(e.db)).Do(ctx, admin, users.Admin, "2025-09", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	check("month", "submit", `"state":"open"`, `"state":"submitted"`)

	u, err := us.Create(ctx, admin, users.NewUser{Email: "new@example.gov.in", Role: users.Editor, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	check("user", "create", "", `"role":"editor"`)
	if _, err := us.Update(ctx, admin, u.ID, users.Approver, false); err != nil {
		t.Fatal(err)
	}
	check("user", "update", `"role":"editor"`, `"role":"approver"`)

	_, tok, err := us.CreateToken(ctx, admin, u.ID, "nightly")
	if err != nil {
		t.Fatal(err)
	}
	check("token", "create", "", `"name":"nightly"`)
	if err := us.RevokeToken(ctx, admin, tok.ID); err != nil {
		t.Fatal(err)
	}
	check("token", "revoke", `"revoked":false`, `"revoked":true`)

	ts := targets.NewStore(e.db)
	tg, err := ts.BySlug(ctx, "total-exchange")
	if err != nil {
		t.Fatal(err)
	}
	in := targets.InputOf(tg)
	in.Value = "600000"
	if _, err := ts.Save(ctx, admin, in, false, func(string, string) bool { return true }); err != nil {
		t.Fatal(err)
	}
	check("target", "update", `"value":500000`, `"value":600000`)

	rs := reference.NewStore(e.db)
	if _, err := rs.SaveCategory(ctx, admin, reference.CategoryInput{Code: "care_workers", NameEN: "Care workers"}, true); err != nil {
		t.Fatal(err)
	}
	check("category", "create", "", `"skilled":false`)
	if _, err := rs.SaveCategory(ctx, admin, reference.CategoryInput{Code: "care_workers", NameEN: "Care workers", Skilled: true}, false); err != nil {
		t.Fatal(err)
	}
	check("category", "update", `"skilled":false`, `"skilled":true`)

	// Signing in and out, and passwords.
	if _, err := us.Authenticate(ctx, "new@example.gov.in", testPassword, "203.0.113.7"); err != nil {
		t.Fatal(err)
	}
	check("session", "sign-in", "", `"address":"203.0.113.7"`)
	sess, err := us.StartSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := us.EndSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	check("session", "sign-out", "", "")
	if _, _, err := us.ResetPassword(ctx, admin, u.ID); err != nil {
		t.Fatal(err)
	}
	check("user", "reset-password", "", "")
	for i := 0; i < 30 && latest("session").Action != "sign-in-throttled"; i++ {
		us.Authenticate(ctx, "new@example.gov.in", "wrong password", "203.0.113.9")
	}
	check("session", "sign-in-throttled", "", `"wait_seconds":`)

	// Every entry is told in words of its own, not the generic sentence.
	all, err := audit.NewStore(e.db).List(ctx, audit.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, en := range all {
		seen[en.Entity+"/"+en.Action] = true
		if m := audit.Describe(en, audit.Names{}); !audit.Known(en.Entity, en.Action) || m.ID == "audit.what.unknown" {
			t.Errorf("no sentence of its own for %s %s %s: %s", en.Action, en.Entity, en.EntityKey, m)
		}
	}
	if !seen["session/sign-in-failed"] {
		t.Error("no failed sign-in recorded")
	}
}

// TestAuditLogInWords: the log says what happened in the reader's language,
// times in their zone, the record itself behind a disclosure and in the CSV.
func TestAuditLogInWords(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	b.get("/months/2025-09")
	b.post("/months/2025-09", url.Values{"c.IN-JP.student": {"1500"}, "v.IN-JP.student": {"0"}})
	b.get("/months/2025-09")
	b.post("/months/2025-09", url.Values{"c.IN-JP.student": {"150000"}, "v.IN-JP.student": {"1"}})
	_, body := b.get("/audit")
	mustContain(t, text(body), "Changed Students, India to Japan, September 2025: 1,500 → 150,000", "Entered Students, India to Japan, September 2025: 1,500",
		"Signed in", "Month form", "Recorded values", " UTC")
	mustContain(t, body, "<details", `<time datetime="`)
	_, csvBody := b.get("/audit.csv?kind=figure")
	mustContain(t, csvBody, "reason,what\r\n", `month form,"Changed Students, India to Japan, September 2025: 1,500 → 150,000"`)

	b.get("/language?lang=ja")
	_, body = b.get("/audit")
	mustContain(t, text(body), "2025年9月・インドから日本・留学生の数値を変更：1,500 → 150,000", "ログイン", "月の入力フォーム", "記録された値", " JST", "種類 すべての種類")
	if st, body := b.get("/audit?month=2025-13"); st != http.StatusUnprocessableEntity || !strings.Contains(text(body), "月：月は「2025-09」のように") {
		t.Errorf("bad month in Japanese: %d", st)
	}
	_, csvBody = b.get("/audit.csv?kind=figure")
	mustContain(t, csvBody, "2025年9月・インドから日本・留学生の数値を変更：1,500 → 150,000")
	// Dates are days in the reader's zone.
	today := time.Now().In(time.FixedZone("JST", 9*3600))
	_, body = b.get("/audit?kind=figure&from=" + today.Format("2006-01-02") + "&to=" + today.Format("2006-01-02"))
	mustContain(t, text(body), "留学生の数値を変更")
	_, body = b.get("/audit?kind=figure&from=" + today.AddDate(0, 0, 1).Format("2006-01-02"))
	mustContain(t, text(body), "この条件に一致する変更はありません。")

	b.get("/language?lang=hi")
	_, body = b.get("/audit")
	mustContain(t, text(body), "छात्र, भारत से जापान, सितंबर 2025 का आँकड़ा बदला: 1,500 → 1,50,000", "साइन इन किया", " IST")
}
