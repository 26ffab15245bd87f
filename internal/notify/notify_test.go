package notify_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/bodies"
	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/mail"
	"hrx/internal/mail/mailtest"
	"hrx/internal/notify"
	"hrx/internal/users"
)

var ctx = context.Background()

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func addUser(t testing.TB, d *db.DB, email string, role users.Role) users.User {
	t.Helper()
	st := users.NewStore(d)
	st.HashCost = 4
	u, err := st.Create(ctx, audit.System("test"), users.NewUser{Email: email, Role: role, Password: "correct horse battery staple"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func id(u users.User) string { return strconv.FormatInt(u.ID, 10) }

// team is a database with an administrator, an editor and an approver, the
// editor and approver members of a body that reports one cell (the others
// fall to the administrators).
type team struct {
	d             *db.DB
	admin, ed, ap users.User
	approval      *approval.Store
}

func newTeam(t testing.TB) team {
	t.Helper()
	d := dbtest.New(t)
	tm := team{d: d, admin: addUser(t, d, "admin@example.gov", users.Admin), ed: addUser(t, d, "ed@example.gov", users.Editor),
		ap: addUser(t, d, "ap@example.gov", users.Approver)}
	if _, err := bodies.NewStore(d).Save(ctx, tm.admin.Actor(), users.Admin, bodies.Input{NameEN: "Emigration desk", NameJA: "移住課",
		Cells: []string{"IN-JP/student"}, Members: []string{id(tm.ed), id(tm.ap)}}); err != nil {
		t.Fatal(err)
	}
	tm.approval = approval.NewStore(d, figures.NewStore(d))
	return tm
}

func start(t testing.TB, d *db.DB, m config.Mail, o notify.Options) *notify.Service {
	t.Helper()
	if o.Poll == 0 {
		o.Poll = 50 * time.Millisecond
	}
	svc, err := notify.New(d, config.Config{BaseURL: "https://hrx.example.gov", Mail: m}, quiet, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		svc.Stop(c)
	})
	return svc
}

// byRecipient waits for n messages and returns them by recipient, parsed.
func byRecipient(t *testing.T, srv *mailtest.Server, n int) map[string]mailtest.Parsed {
	t.Helper()
	out := map[string]mailtest.Parsed{}
	for _, r := range srv.Wait(t, n, 20*time.Second) {
		p, err := r.Parse()
		if err != nil {
			t.Fatal(err)
		}
		out[r.To[0]] = p
	}
	return out
}

// TestMovesAreEmailed: a submission e-mails the month's approvers (in the
// language each chose, with a link straight to the month and why they
// received it), a send-back e-mails the editors with the comment, and both
// are in the in-app list with an unread mark; the person who moved the month
// is not told, and one who turned a kind off gets it in-app only.
func TestMovesAreEmailed(t *testing.T) {
	tm := newTeam(t)
	srv := mailtest.Start(t, mailtest.Options{})
	svc := start(t, tm.d, srv.Config("", ""), notify.Options{NoPeriodic: true})
	tm.approval.SetNotifier(svc)
	if _, err := svc.SavePrefs(ctx, tm.ap.Actor(), "ja", []string{"submitted", "returned", "published", "reminder", "digest"}); err != nil {
		t.Fatal(err)
	}
	// The administrator keeps submissions in-app only.
	if _, err := svc.SavePrefs(ctx, tm.admin.Actor(), "en", []string{"returned"}); err != nil {
		t.Fatal(err)
	}

	if _, err := tm.approval.Do(ctx, tm.ed.Actor(), users.Editor, "2025-10", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	got := byRecipient(t, srv, 1)
	ja, ok := got["ap@example.gov"]
	if !ok {
		t.Fatalf("the approver got nothing: %v", got)
	}
	for _, want := range []string{"2025年10月", "提出"} {
		if !strings.Contains(ja.Subject, want) {
			t.Errorf("subject %q lacks %q", ja.Subject, want)
		}
	}
	for _, want := range []string{"ed@example.gov", "https://hrx.example.gov/months/2025-10", "レビューする方", "https://hrx.example.gov/account#email"} {
		if !strings.Contains(ja.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, ja.Text)
		}
	}
	if !strings.Contains(ja.HTML, `href="https://hrx.example.gov/months/2025-10"`) || !strings.Contains(ja.HTML, `lang="ja"`) {
		t.Errorf("HTML:\n%s", ja.HTML)
	}

	if _, err := tm.approval.Do(ctx, tm.ap.Actor(), users.Approver, "2025-10", approval.Return, "Row 3 counts interns twice.\nPlease check."); err != nil {
		t.Fatal(err)
	}
	got = byRecipient(t, srv, 3) // the editor, and the administrators for the cells no body reports
	en, ok := got["ed@example.gov"]
	if !ok {
		t.Fatalf("the editor got nothing: %v", got)
	}
	if en.Subject != "October 2025 was sent back to you" {
		t.Errorf("subject %q", en.Subject)
	}
	for _, want := range []string{"ap@example.gov sent October 2025 back", "> Row 3 counts interns twice.", "> Please check.", "https://hrx.example.gov/months/2025-10"} {
		if !strings.Contains(en.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, en.Text)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if _, ok := got["admin@example.gov"]; !ok {
		t.Error("the administrator was not told of the send-back")
	}
	if n := len(srv.Messages()); n != 3 {
		t.Errorf("%d messages; want 3 (nobody told of their own move, the administrator's submission in-app only)", n)
	}

	list, err := svc.List(ctx, tm.admin.ID, 10)
	if err != nil || len(list) != 2 || list[1].Kind != notify.Submitted || list[1].Email != notify.EmailNone || !list[1].Unread() {
		t.Fatalf("admin's list %+v, %v", list, err)
	}
	mine, _ := svc.List(ctx, tm.ed.ID, 10)
	if len(mine) != 1 || mine[0].Kind != notify.Returned || mine[0].Comment != "Row 3 counts interns twice.\nPlease check." {
		t.Fatalf("editor's list %+v", mine)
	}
	waitFor(t, func() bool {
		mine, _ = svc.List(ctx, tm.ed.ID, 10)
		return mine[0].Email == notify.EmailSent
	})
	if !strings.HasPrefix(mine[0].EmailAnswer, "250 ") || mine[0].EmailedAt == nil {
		t.Errorf("answer %q", mine[0].EmailAnswer)
	}
	if n, _ := svc.Unread(ctx, tm.ed.ID); n != 1 {
		t.Errorf("unread %d", n)
	}
	if n, err := svc.MarkAllRead(ctx, tm.ed.Actor()); n != 1 || err != nil {
		t.Errorf("marked %d, %v", n, err)
	}
	if n, _ := svc.Unread(ctx, tm.ed.ID); n != 0 {
		t.Errorf("unread after marking %d", n)
	}
}

// TestRefusedLoginRetried: when the mail server refuses the login, the
// e-mail's job fails with the server's words, which the notification's row
// and the admin's job list show, and River tries it again later.
func TestRefusedLoginRetried(t *testing.T) {
	tm := newTeam(t)
	srv := mailtest.Start(t, mailtest.Options{Username: "hrx", Password: "right", StartTLS: true})
	cfg := srv.Config("hrx", "wrong")
	svc := start(t, tm.d, cfg, notify.Options{NoPeriodic: true, Sender: mail.NewSender(cfg).WithTLSConfig(srv.ClientTLS)})
	tm.approval.SetNotifier(svc)
	if _, err := tm.approval.Do(ctx, tm.ed.Actor(), users.Editor, "2025-10", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	var n notify.Notification
	waitFor(t, func() bool {
		list, _ := svc.List(ctx, tm.ap.ID, 1)
		n = list[0]
		return n.Email == notify.EmailRetrying
	})
	if !strings.Contains(n.EmailError, "refused the user name or password") || !strings.Contains(n.EmailError, "535") || n.EmailAttempts < 1 {
		t.Errorf("row: %q after %d attempts", n.EmailError, n.EmailAttempts)
	}
	var job notify.Job
	waitFor(t, func() bool {
		jobs, err := svc.Jobs(ctx, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if j.Kind == "send_email" && j.To == "ap@example.gov" && j.LastError != "" {
				job = j
				return true
			}
		}
		return false
	})
	if !strings.Contains(job.LastError, "535") || !strings.Contains(job.LastError, "refused the user name or password") || job.LastErrorAt == nil {
		t.Errorf("job %+v", job)
	}
	// River tries again after its back-off (about a second for the first).
	waitFor(t, func() bool {
		jobs, err := svc.Jobs(ctx, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if j.To == "ap@example.gov" && j.Attempt >= 2 {
				return true
			}
		}
		return false
	})
	list, _ := svc.List(ctx, tm.ap.ID, 1)
	if list[0].EmailAttempts < 1 || list[0].Email == notify.EmailSent {
		t.Errorf("row after retry %+v", list[0])
	}
	if len(srv.Messages()) != 0 {
		t.Error("a message went out with a refused login")
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("waited 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSendingHoldsNoLock: while the mail server is slow to accept a message,
// the database takes writes at once: nothing is sent inside a transaction.
func TestSendingHoldsNoLock(t *testing.T) {
	tm := newTeam(t)
	hold := make(chan struct{})
	srv := mailtest.Start(t, mailtest.Options{Hold: hold})
	defer close(hold)
	svc := start(t, tm.d, srv.Config("", ""), notify.Options{NoPeriodic: true})
	tm.approval.SetNotifier(svc)
	if _, err := tm.approval.Do(ctx, tm.ed.Actor(), users.Editor, "2025-10", approval.Submit, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return srv.Holding() > 0 }) // an e-mail is being sent
	t0 := time.Now()
	if _, err := tm.approval.Do(ctx, tm.ap.Actor(), users.Approver, "2025-10", approval.Return, "Check the interns"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(t0); took > time.Second {
		t.Errorf("a month's move waited %s while an e-mail was being sent", took)
	}
}

// TestDigest: each approver is told weekly of the months waiting for review,
// once a week.
func TestDigest(t *testing.T) {
	tm := newTeam(t)
	svc := start(t, tm.d, config.Mail{}, notify.Options{NoPeriodic: true})
	for _, m := range []string{"2025-09", "2025-10"} {
		if _, err := tm.approval.Do(ctx, tm.ed.Actor(), users.Editor, m, approval.Submit, ""); err != nil {
			t.Fatal(err)
		}
	}
	monday := time.Date(2025, 11, 17, 9, 0, 0, 0, bodies.Zone)
	plan, err := svc.Digests(ctx, monday)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, p := range plan {
		got[p.User.Email] = len(p.Items)
	}
	if got["ap@example.gov"] != 2 || got["admin@example.gov"] != 2 || got["ed@example.gov"] != 0 {
		t.Errorf("digest plan %v", got)
	}
	if n, err := svc.SendDigest(ctx, monday); n != 2 || err != nil {
		t.Errorf("digest written to %d, %v", n, err)
	}
	if n, _ := svc.SendDigest(ctx, monday.Add(48*time.Hour)); n != 0 {
		t.Errorf("the same week again: %d", n)
	}
	list, _ := svc.List(ctx, tm.ap.ID, 5)
	if len(list) == 0 || list[0].Kind != notify.Digest || list[0].Email != notify.EmailNone {
		t.Fatalf("approver's list %+v", list)
	}
	en := i18n.New(i18n.EN, "")
	if s := en.Tr(notify.Summary(list[0])); s != "2 months are waiting for review." {
		t.Errorf("summary %q", s)
	}
	if s := en.Tr(notify.ItemMsg(notify.Digest, list[0].ItemsOf()[0], i18n.EN)); !strings.HasPrefix(s, "September 2025, submitted by ed@example.gov on ") {
		t.Errorf("item %q", s)
	}
}
