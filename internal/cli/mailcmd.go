package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"

	"hrx/internal/config"
	"hrx/internal/i18n"
	"hrx/internal/mail"
)

var mailTestCommand = &command{
	name:    "mail test",
	args:    "TO",
	summary: "send a test e-mail through HRX_SMTP_URL and print the server's answer",
	about: "Sends a test message to the address TO through the mail server in HRX_SMTP_URL, from HRX_MAIL_FROM, and " +
		"prints the server's answer, to see that they work before anyone relies on them.",
	examples: []string{"HRX_SMTP_URL=smtp://127.0.0.1:1025 HRX_MAIL_FROM='HRX <hrx@example.gov.in>' hrx mail test you@example.gov.in --lang ja"},
	env:      slices.Concat(mailEnv, []string{"HRX_LOG_FORMAT"}),
	setup: func(fs *flag.FlagSet, env Env) runFunc {
		lang := fs.String("lang", "en", "the language of the test message: en, ja or hi (`LANG`)")
		return func(ctx context.Context, pos []string) error { return mailCmd(ctx, env, pos, lang) }
	},
}

// mailCmd is `hrx mail test TO`: one message through the configured server,
// to see that HRX_SMTP_URL and HRX_MAIL_FROM work before anyone relies on them.
func mailCmd(ctx context.Context, env Env, pos []string, lang *string) error {
	if len(pos) != 1 || !strings.Contains(pos[0], "@") {
		return usageError{msg: "hrx mail test takes one e-mail address TO", helpFor: "mail test"}
	}
	cfg, err := config.Parse("hrx mail test", nil, env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	if !cfg.Mail.Enabled() {
		return errors.New("no mail server is configured: set HRX_SMTP_URL (e.g. smtp://user:password@mail.example.gov:587) and HRX_MAIL_FROM (e.g. 'HRX <hrx@example.gov>')")
	}
	l, ok := i18n.Parse(*lang)
	if !ok {
		return fmt.Errorf("--lang must be en, ja or hi; got %q", *lang)
	}
	r, err := mail.Render(l, mail.Email{
		Subject: i18n.M("mail.test.subject"),
		Lines:   []i18n.Msg{i18n.M("mail.test.body")},
		Link:    cfg.PublicBaseURL() + "/", LinkText: i18n.Text(cfg.PublicBaseURL()),
		Why: i18n.M("mail.test.why"),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "sending a test message to %s through %s, from %s\n", pos[0], cfg.Mail, cfg.Mail.From)
	answer, err := mail.NewSender(cfg.Mail).Send(ctx, mail.Message{To: pos[0], Subject: r.Subject, Text: r.Text, HTML: r.HTML})
	if err != nil {
		return err
	}
	if answer == "" {
		answer = "(the server accepted the message without saying more)"
	}
	fmt.Fprintln(env.Stdout, "the server answered:", answer)
	return nil
}
