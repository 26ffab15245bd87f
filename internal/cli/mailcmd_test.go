package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"hrx/internal/mail/mailtest"
)

func TestMailTest(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	env := map[string]string{"HRX_SMTP_URL": "smtp://" + srv.Addr, "HRX_MAIL_FROM": "HRX <hrx@example.gov>", "HRX_BASE_URL": "https://hrx.example.gov"}
	var out, errOut bytes.Buffer
	code := RunWith(context.Background(), Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }},
		[]string{"mail", "test", "ap@example.gov", "--lang", "hi"})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "the server answered: 250 2.0.0 Ok: queued as TEST1") {
		t.Errorf("output %q", out.String())
	}
	p, err := srv.Wait(t, 1, 5*time.Second)[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "HRX परीक्षण संदेश" {
		t.Errorf("subject %q", p.Subject)
	}

	// A server that is not there: the error in plain words, exit 1.
	env["HRX_SMTP_URL"] = "smtp://127.0.0.1:1"
	out.Reset()
	errOut.Reset()
	if code := RunWith(context.Background(), Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }},
		[]string{"mail", "test", "ap@example.gov"}); code != 1 || !strings.Contains(errOut.String(), "nothing accepts connections at 127.0.0.1:1") {
		t.Errorf("exit %d, %q", code, errOut.String())
	}
	// No server configured.
	delete(env, "HRX_SMTP_URL")
	errOut.Reset()
	if code := RunWith(context.Background(), Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }},
		[]string{"mail", "test", "ap@example.gov"}); code != 1 || !strings.Contains(errOut.String(), "set HRX_SMTP_URL") {
		t.Errorf("exit %d, %q", code, errOut.String())
	}
}
