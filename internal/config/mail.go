package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// TLS modes of the connection to the mail server.
const (
	TLSOpportunistic = "opportunistic" // smtp://: STARTTLS whenever the server offers it
	TLSRequired      = "required"      // smtp://…?tls=required: STARTTLS or nothing is sent
	TLSImplicit      = "implicit"      // smtps://: TLS from the first byte (port 465)
)

// Mail is how HRX sends e-mail: HRX_SMTP_URL and HRX_MAIL_FROM, parsed once.
// The zero value (no HRX_SMTP_URL) sends none: notifications stay in-app.
type Mail struct {
	Host     string
	Port     int
	Username string // empty: no authentication
	Password string
	TLS      string // TLSOpportunistic, TLSRequired or TLSImplicit
	From     string // the sender, e.g. "HRX <hrx@example.gov>"
}

// Enabled reports whether a mail server is configured.
func (m Mail) Enabled() bool { return m.Host != "" }

// Addr is the server's host:port.
func (m Mail) Addr() string { return net.JoinHostPort(m.Host, strconv.Itoa(m.Port)) }

// String describes the setting without the password, for the start-up log.
func (m Mail) String() string {
	if !m.Enabled() {
		return "off"
	}
	s := "smtp://"
	if m.TLS == TLSImplicit {
		s = "smtps://"
	}
	if m.Username != "" {
		s += url.User(m.Username).String() + "@"
	}
	s += m.Addr()
	if m.TLS == TLSRequired {
		s += "?tls=required"
	}
	return s
}

// ParseMail reads HRX_SMTP_URL and HRX_MAIL_FROM: smtp://user:pass@host:587
// (STARTTLS when offered; ?tls=required insists on it), smtps://user:pass@host:465
// (implicit TLS), or smtp://127.0.0.1:2525 for a local relay without TLS or
// authentication. An empty URL means no e-mail.
func ParseMail(rawURL, from string) (Mail, error) {
	rawURL, from = strings.TrimSpace(rawURL), strings.TrimSpace(from)
	if rawURL == "" {
		return Mail{}, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return Mail{}, fmt.Errorf("HRX_SMTP_URL must look like smtp://user:password@mail.example.gov:587 or smtps://user:password@mail.example.gov:465; got %q", redact(rawURL))
	}
	m := Mail{Host: u.Hostname()}
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		m.TLS, m.Port = TLSOpportunistic, 587
		switch t := strings.ToLower(u.Query().Get("tls")); t {
		case "", "opportunistic":
		case "required":
			m.TLS = TLSRequired
		default:
			return Mail{}, fmt.Errorf("HRX_SMTP_URL: tls=%s is not known; use ?tls=required to insist on STARTTLS, or smtps:// for implicit TLS", t)
		}
	case "smtps":
		m.TLS, m.Port = TLSImplicit, 465
	default:
		return Mail{}, fmt.Errorf("HRX_SMTP_URL must start with smtp:// (STARTTLS when offered) or smtps:// (implicit TLS); got %q", u.Scheme+"://")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Mail{}, fmt.Errorf("HRX_SMTP_URL: the port must be a number from 1 to 65535; got %q", p)
		}
		m.Port = n
	}
	if u.User != nil {
		m.Username = u.User.Username()
		m.Password, _ = u.User.Password()
	}
	if from == "" {
		return Mail{}, fmt.Errorf("HRX_SMTP_URL is set, so HRX_MAIL_FROM must be too: the sender's address, e.g. HRX_MAIL_FROM='HRX <hrx@example.gov>'")
	}
	if _, err := mail.ParseAddress(from); err != nil {
		return Mail{}, fmt.Errorf("HRX_MAIL_FROM must be an e-mail address such as hrx@example.gov or 'HRX <hrx@example.gov>'; got %q", from)
	}
	m.From = from
	return m, nil
}

// redact hides the password of a URL that failed to parse.
func redact(s string) string {
	if i := strings.Index(s, "@"); i >= 0 {
		if j := strings.Index(s, "://"); j >= 0 && j < i {
			return s[:j+3] + "…" + s[i:]
		}
	}
	return s
}
