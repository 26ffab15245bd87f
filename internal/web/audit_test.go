package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

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
