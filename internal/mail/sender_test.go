package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hrx/internal/config"
	"hrx/internal/i18n"
	"hrx/internal/mail"
	"hrx/internal/mail/mailtest"
)

func render(t *testing.T, lang i18n.Lang) mail.Rendered {
	t.Helper()
	r, err := mail.Render(i18n.New(lang, ""), mail.Email{
		Subject: i18n.M("mail.test.subject"),
		Lines:   []i18n.Msg{i18n.M("mail.test.body")},
		Quote:   "Line one <b>\nline two", QuoteBy: i18n.Text("ed@example.gov"),
		Link: "https://hrx.example.gov/months/2025-10", LinkText: i18n.Text("Open"),
		Why: i18n.M("mail.test.why"), Prefs: "https://hrx.example.gov/account#email",
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSendThroughRealServer(t *testing.T) {
	cases := []struct {
		name string
		opts mailtest.Options
		tls  string
	}{
		{"local relay without TLS or login", mailtest.Options{}, config.TLSOpportunistic},
		{"STARTTLS offered and used", mailtest.Options{Username: "hrx", Password: "s3cret", StartTLS: true, RequireTLS: true}, config.TLSOpportunistic},
		{"STARTTLS required", mailtest.Options{Username: "hrx", Password: "s3cret", StartTLS: true, RequireTLS: true}, config.TLSRequired},
		{"implicit TLS", mailtest.Options{Username: "hrx", Password: "s3cret", Implicit: true}, config.TLSImplicit},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := mailtest.Start(t, c.opts)
			cfg := srv.Config(c.opts.Username, c.opts.Password)
			cfg.TLS = c.tls
			s := mail.NewSender(cfg)
			if srv.ClientTLS != nil {
				s.WithTLSConfig(srv.ClientTLS)
			}
			r := render(t, i18n.JA)
			answer, err := s.Send(context.Background(), mail.Message{To: "ap@example.gov", Subject: r.Subject, Text: r.Text, HTML: r.HTML, ID: "n1"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(answer, "250") || !strings.Contains(answer, "queued as TEST1") {
				t.Errorf("answer %q", answer)
			}
			got := srv.Wait(t, 1, 5*time.Second)
			p, err := got[0].Parse()
			if err != nil {
				t.Fatal(err)
			}
			if p.Subject != "HRX テストメッセージ" {
				t.Errorf("subject %q", p.Subject)
			}
			for _, want := range []string{"hrx mail test で送信された", "> Line one <b>", "> line two", "https://hrx.example.gov/months/2025-10"} {
				if !strings.Contains(p.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, p.Text)
				}
			}
			for _, want := range []string{`lang="ja"`, `href="https://hrx.example.gov/months/2025-10"`, "Line one &lt;b&gt;"} {
				if !strings.Contains(p.HTML, want) {
					t.Errorf("HTML lacks %q:\n%s", want, p.HTML)
				}
			}
			if got[0].To[0] != "ap@example.gov" || got[0].From != "hrx@example.gov" {
				t.Errorf("envelope %q → %q", got[0].From, got[0].To)
			}
			if id := p.Header.Get("Message-Id"); id != "<n1@example.gov>" {
				t.Errorf("Message-ID %q", id)
			}
		})
	}
}

func TestRefusedLoginInPlainWords(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{Username: "hrx", Password: "right", StartTLS: true})
	s := mail.NewSender(srv.Config("hrx", "wrong")).WithTLSConfig(srv.ClientTLS)
	_, err := s.Send(context.Background(), mail.Message{To: "ap@example.gov", Subject: "x", Text: "x"})
	var se *mail.SendError
	if !errors.As(err, &se) {
		t.Fatalf("err %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "refused the user name or password in HRX_SMTP_URL") || !strings.Contains(msg, "535") {
		t.Errorf("error %q", msg)
	}
	if srv.AuthFailures() == 0 || len(srv.Messages()) != 0 {
		t.Errorf("auth failures %d, messages %d", srv.AuthFailures(), len(srv.Messages()))
	}
}

func TestNoPasswordInClear(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{Username: "hrx", Password: "right"})
	_, err := mail.NewSender(srv.Config("hrx", "right")).Send(context.Background(), mail.Message{To: "ap@example.gov", Subject: "x", Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "only encrypted") {
		t.Fatalf("err %v", err)
	}
}

func TestRequiredTLSRefusesPlainServer(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	cfg := srv.Config("", "")
	cfg.TLS = config.TLSRequired
	_, err := mail.NewSender(cfg).Send(context.Background(), mail.Message{To: "ap@example.gov", Subject: "x", Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "encrypted connection") {
		t.Fatalf("err %v", err)
	}
	if len(srv.Messages()) != 0 {
		t.Error("a message went out without TLS")
	}
}

func TestNothingListens(t *testing.T) {
	_, err := mail.NewSender(config.Mail{Host: "127.0.0.1", Port: 1, TLS: config.TLSOpportunistic, From: "hrx@example.gov"}).
		Send(context.Background(), mail.Message{To: "a@example.gov", Subject: "x", Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "nothing accepts connections at 127.0.0.1:1") {
		t.Fatalf("err %v", err)
	}
}
