package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"hrx/internal/bodies"
	"hrx/internal/config"
	"hrx/internal/users"
)

// TestNotificationsPages: a submission puts a line in the approver's list,
// counted unread in the menu, linking to the month; marking all read clears
// the mark; /account keeps the e-mail choices and refuses an unknown
// language beside its field; /admin/jobs shows the e-mail job waiting, for
// administrators only.
func TestNotificationsPages(t *testing.T) {
	e := newEnvWith(t, func(c *config.Config) {
		c.BaseURL = "https://hrx.example.gov"
		c.Mail = config.Mail{Host: "127.0.0.1", Port: 1, TLS: config.TLSOpportunistic, From: "hrx@example.gov"}
	})
	admin := e.addUser("admin@example.gov", users.Admin)
	ed := e.addUser("ed@example.gov", users.Editor)
	ap := e.addUser("ap@example.gov", users.Approver)
	if _, err := bodies.NewStore(e.db).Save(context.Background(), admin.Actor(), users.Admin, bodies.Input{NameEN: "Desk",
		Cells: []string{"IN-JP/student"}, Members: []string{strconv.FormatInt(ed.ID, 10), strconv.FormatInt(ap.ID, 10)}}); err != nil {
		t.Fatal(err)
	}
	edB := e.browser()
	edB.signIn("ed@example.gov")
	edB.get("/months/2025-10")
	if st, body := edB.post("/months/2025-10/state", url.Values{"action": {"submit"}}); st != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", st, text(body))
	}

	apB := e.browser()
	apB.signIn("ap@example.gov")
	_, body := apB.get("/months")
	mustContain(t, body, `href="/notifications"`, "Notifications (1 unread)")
	st, body := apB.get("/notifications")
	if st != http.StatusOK {
		t.Fatalf("notifications: %d %s", st, text(body))
	}
	mustContain(t, text(body), "Unread", "ed@example.gov submitted the figures of October 2025 for review.", "Open October 2025", "E-mail waiting to be sent")
	mustContain(t, body, `href="/months/2025-10"`)
	if st, _ := apB.post("/notifications/read", nil); st != http.StatusSeeOther {
		t.Fatalf("mark read: %d", st)
	}
	_, body = apB.get("/notifications")
	mustContain(t, text(body), "1 notification marked as read.")
	if strings.Contains(body, "tag-unread") || strings.Contains(body, "1 unread") {
		t.Error("still unread after marking")
	}

	_, body = apB.get("/account")
	mustContain(t, body, `id="email"`, `name="email_lang"`, `value="digest" checked`)
	if st, _ := apB.post("/account/email", url.Values{"email_lang": {"ja"}, "email": {"submitted", "digest"}}); st != http.StatusSeeOther {
		t.Fatalf("save choices: %d", st)
	}
	_, body = apB.get("/account")
	mustContain(t, body, `<option value="ja" selected>`, `value="submitted" checked`, `value="digest" checked`)
	if strings.Contains(body, `value="published" checked`) {
		t.Error("published still on")
	}
	if st, body := apB.post("/account/email", url.Values{"email_lang": {"xx"}, "email": {"submitted"}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(text(body), "Choose English, Japanese or Hindi") {
		t.Errorf("unknown language: %d %s", st, text(body))
	}
	if st, _ := apB.get("/admin/jobs"); st != http.StatusForbidden {
		t.Errorf("an approver sees /admin/jobs: %d", st)
	}

	adB := e.browser()
	adB.signIn("admin@example.gov")
	st, body = adB.get("/admin/jobs")
	if st != http.StatusOK {
		t.Fatalf("jobs: %d", st)
	}
	mustContain(t, text(body), "Background jobs", "E-mail goes through smtp://127.0.0.1:1, from hrx@example.gov.", "E-mail", "Waiting to run",
		"to ap@example.gov: October 2025 is submitted for your review", "0 of 10")
}
