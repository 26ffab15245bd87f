package notify_test

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"hrx/internal/approval"
	"hrx/internal/bodies"
	"hrx/internal/config"
	"hrx/internal/notify"
	"hrx/internal/users"
)

// mailpit is a Mailpit server (a real SMTP server with an HTTP API to read
// what it received), as .ci/run starts it: HRX_TEST_MAILPIT_URL is its API
// (http://127.0.0.1:8025), HRX_TEST_MAILPIT_SMTP its SMTP address (default:
// the API's host, port 1025).
type mailpit struct {
	api  string
	smtp config.Mail
}

func newMailpit(t *testing.T) mailpit {
	t.Helper()
	api := os.Getenv("HRX_TEST_MAILPIT_URL")
	if api == "" {
		t.Skip("HRX_TEST_MAILPIT_URL is not set (.ci/run starts Mailpit and sets it)")
	}
	u, err := url.Parse(api)
	if err != nil {
		t.Fatal(err)
	}
	addr := os.Getenv("HRX_TEST_MAILPIT_SMTP")
	if addr == "" {
		addr = net.JoinHostPort(u.Hostname(), "1025")
	}
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return mailpit{api: strings.TrimRight(api, "/"), smtp: config.Mail{Host: host, Port: p, TLS: config.TLSOpportunistic, From: "HRX <hrx@example.gov>"}}
}

// message is what Mailpit says of one message.
type message struct {
	ID      string
	Subject string
	Text    string
	HTML    string
	To      []struct{ Address string }
}

// to waits for the messages to addr and returns them, read in full.
func (m mailpit) to(t *testing.T, addr string, n int) []message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var found struct{ Messages []message }
		m.get(t, "/api/v1/search?query="+url.QueryEscape("to:"+addr), &found)
		if len(found.Messages) >= n {
			out := make([]message, len(found.Messages))
			for i, s := range found.Messages {
				m.get(t, "/api/v1/message/"+s.ID, &out[i])
			}
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %d messages to %s; %d arrived", n, addr, len(found.Messages))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (m mailpit) get(t *testing.T, path string, v any) {
	t.Helper()
	resp, err := http.Get(m.api + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestThroughMailpit: through a real mail server, a submission reaches the
// approver in their language with the month's link, a send-back reaches the
// editor with the comment, and a passed due day reminds the editor once
// although two job engines run on the database.
func TestThroughMailpit(t *testing.T) {
	mp := newMailpit(t)
	b := make([]byte, 4)
	rand.Read(b)
	run := hex.EncodeToString(b) // this run's own addresses: Mailpit keeps other runs' mail
	tm := newTeam(t)
	us := users.NewStore(tm.d)
	rename := func(u *users.User, local string) {
		u.Email = local + "-" + run + "@example.gov"
		if err := tm.d.W.Model(&users.User{}).Where("id = ?", u.ID).Update("email", u.Email).Error; err != nil {
			t.Fatal(err)
		}
	}
	rename(&tm.ed, "ed")
	rename(&tm.ap, "ap")
	rename(&tm.admin, "admin")
	_ = us
	var svcs []*notify.Service
	for range 2 {
		svc := start(t, tm.d, mp.smtp, notify.Options{Now: func() time.Time { return time.Date(2025, 11, 16, 10, 0, 0, 0, bodies.Zone) }})
		svcs = append(svcs, svc)
	}
	tm.approval.SetNotifier(svcs[0])
	if _, err := svcs[0].SavePrefs(ctx, tm.ap.Actor(), "hi", []string{"submitted", "returned", "published", "reminder", "digest"}); err != nil {
		t.Fatal(err)
	}

	// The due day of October 2025 passed yesterday: one reminder for the editor.
	rem := mp.to(t, tm.ed.Email, 1)
	if !strings.Contains(rem[0].Text, "Emigration desk, October 2025: 1 cell has no figure") {
		t.Errorf("reminder:\n%s", rem[0].Text)
	}

	if _, err := tm.approval.Do(ctx, tm.ed.Actor(), users.Editor, "2025-10", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	got := mp.to(t, tm.ap.Email, 1)
	if !strings.Contains(got[0].Subject, "अक्टूबर 2025") || !strings.Contains(got[0].Text, "https://hrx.example.gov/months/2025-10") ||
		!strings.Contains(got[0].HTML, `href="https://hrx.example.gov/months/2025-10"`) {
		t.Errorf("approver's message: %q\n%s", got[0].Subject, got[0].Text)
	}

	if _, err := tm.approval.Do(ctx, tm.ap.Actor(), users.Approver, "2025-10", approval.Return, "Interns are counted twice"); err != nil {
		t.Fatal(err)
	}
	got = mp.to(t, tm.ed.Email, 2)
	var back *message
	for i := range got {
		if strings.Contains(got[i].Subject, "sent back") {
			back = &got[i]
		}
	}
	if back == nil || !strings.Contains(back.Text, "> Interns are counted twice") || !strings.Contains(back.Text, "https://hrx.example.gov/months/2025-10") {
		t.Fatalf("editor's messages: %+v", got)
	}

	time.Sleep(2 * time.Second)
	var all struct{ Messages []message }
	mp.get(t, "/api/v1/search?query="+url.QueryEscape("to:"+tm.ed.Email), &all)
	reminders := 0
	for _, m := range all.Messages {
		if strings.HasPrefix(m.Subject, "Figures missing") {
			reminders++
		}
	}
	if reminders != 1 {
		t.Errorf("%d reminders to the editor with two job engines; want 1", reminders)
	}
}
