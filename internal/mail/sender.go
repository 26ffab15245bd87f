// Package mail sends HRX's e-mail: a Sender over a maintained SMTP library
// (go-mail) configured by HRX_SMTP_URL, and the rendering of a message's
// words, in the recipient's language, as plain text and HTML.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"hrx/internal/config"
)

// Sender sends messages through the configured mail server, one connection
// per message: notifications are few, and a connection held open between them
// would only time out.
type Sender struct {
	cfg     config.Mail
	timeout time.Duration
	// tlsConfig, when set, replaces the default (the system's roots, the
	// server's host name), for tests with their own certificate.
	tlsConfig *tls.Config
}

// NewSender returns a Sender for cfg, which must be Enabled.
func NewSender(cfg config.Mail) *Sender { return &Sender{cfg: cfg, timeout: 30 * time.Second} }

// WithTLSConfig makes the Sender trust what c says (tests with their own certificate).
func (s *Sender) WithTLSConfig(c *tls.Config) *Sender { s.tlsConfig = c; return s }

// Message is one rendered e-mail to one person.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// ID, when set, is the Message-ID's left part, so a message sent again
	// after a lost answer can be recognised by the recipient's mail program.
	ID string
}

// Send delivers m and returns the server's answer to the message, e.g.
// "250 2.0.0 Ok: queued as 4B2F1". Its error says in plain words what went
// wrong (see Explain) and wraps the library's.
func (s *Sender) Send(ctx context.Context, m Message) (string, error) {
	if !s.cfg.Enabled() {
		return "", errors.New("no mail server is configured (HRX_SMTP_URL)")
	}
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return "", fmt.Errorf("the sender HRX_MAIL_FROM %q: %w", s.cfg.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return "", fmt.Errorf("the address %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	if m.ID != "" {
		host := "hrx.invalid"
		if a, err := gomailAddress(s.cfg.From); err == nil {
			if i := strings.LastIndex(a, "@"); i >= 0 {
				host = a[i+1:]
			}
		}
		msg.SetMessageIDWithValue(m.ID + "@" + host)
	}
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	c, err := s.client()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return "", &SendError{Addr: s.cfg.Addr(), Err: err}
	}
	return answer(msg.ServerResponse()), nil
}

// answer is the server's reply to the message as it wrote it: the library
// keeps the words after the code, which for an accepted message is 250.
func answer(r string) string {
	r = strings.TrimSpace(r)
	if r == "" || r[0] >= '0' && r[0] <= '9' && len(r) > 3 && r[3] == ' ' && !strings.Contains(r[:3], ".") {
		return r
	}
	return "250 " + r
}

func gomailAddress(from string) (string, error) {
	m := gomail.NewMsg()
	if err := m.From(from); err != nil {
		return "", err
	}
	a := m.GetFromString()
	if len(a) == 0 {
		return "", errors.New("no sender")
	}
	s := a[0]
	if i := strings.LastIndex(s, "<"); i >= 0 {
		s = strings.TrimSuffix(s[i+1:], ">")
	}
	return s, nil
}

// client is a go-mail client for the configured server.
func (s *Sender) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.timeout)}
	switch s.cfg.TLS {
	case config.TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case config.TLSRequired:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.cfg.Username != "" {
		// The strongest mechanism the server offers (SCRAM, then CRAM-MD5,
		// LOGIN or PLAIN), never in clear text over an unencrypted connection
		// other than to this machine.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	tc := s.tlsConfig
	if tc == nil {
		tc = &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	opts = append(opts, gomail.WithTLSConfig(tc))
	return gomail.NewClient(s.cfg.Host, opts...)
}

// SendError is a message that could not be sent, with the words a person
// can act on.
type SendError struct {
	Addr string
	Err  error
}

func (e *SendError) Error() string { return Explain(e.Addr, e.Err) }
func (e *SendError) Unwrap() error { return e.Err }

// Explain says in plain words why sending through the server at addr failed,
// ending with the server's or the library's own words.
func Explain(addr string, err error) string {
	raw := err.Error()
	low := strings.ToLower(raw)
	var ne net.Error
	var pe *textproto.Error
	code := 0
	if errors.As(err, &pe) {
		code = pe.Code
	}
	var why string
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		why = fmt.Sprintf("the mail server %s did not answer in time", addr)
	case errors.Is(err, gomail.ErrNoSupportedAuthDiscovered):
		why = fmt.Sprintf("the mail server %s offers no way to log in that keeps the password safe on this connection; "+
			"HRX sends a user name and password only encrypted (a server that offers STARTTLS, or smtps://), "+
			"or drop user:password from HRX_SMTP_URL for a relay that needs no login", addr)
	case strings.Contains(low, "does not support smtp auth"):
		why = fmt.Sprintf("the mail server %s offers no login (SMTP AUTH), but HRX_SMTP_URL has a user name and password: "+
			"drop user:password for a relay that needs no login, or check the host and port", addr)
	case strings.Contains(low, "connection refused"):
		why = fmt.Sprintf("nothing accepts connections at %s: check the host and port of HRX_SMTP_URL", addr)
	case strings.Contains(low, "no such host"):
		why = fmt.Sprintf("the host of %s is not known: check HRX_SMTP_URL", addr)
	case code == 535 || code == 534 || code == 530 && strings.Contains(low, "auth") ||
		strings.Contains(low, "authentication failed") || strings.Contains(low, "auth failed") || strings.Contains(low, "smtp auth"):
		why = fmt.Sprintf("the mail server %s refused the user name or password in HRX_SMTP_URL", addr)
	case strings.Contains(low, "starttls") || strings.Contains(low, "tls"):
		why = fmt.Sprintf("could not set up an encrypted connection with %s (smtp:// upgrades with STARTTLS, ?tls=required insists on it, smtps:// is TLS from the start)", addr)
	case code == 550 || code == 551 || code == 553 || code == 554:
		why = fmt.Sprintf("the mail server %s refused the message", addr)
	case code >= 400 && code < 500:
		why = fmt.Sprintf("the mail server %s is not accepting mail just now; it will be tried again", addr)
	default:
		why = fmt.Sprintf("sending through %s failed", addr)
	}
	return why + ": " + raw
}
