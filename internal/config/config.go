// Package config parses HRX's settings once, from flags and the environment.
package config

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config holds every setting the server and commands need.
type Config struct {
	Addr         string // listen address, e.g. ":8080"
	DatabaseURL  string // SQLite file path or postgres:// URL
	BaseURL      string // public URL used in printed links and embeds; empty means derived from Addr
	EmbedOrigins string // who may frame the widgets (CSP frame-ancestors); "*" for anyone
	MaxUploadMB  int    // largest accepted upload
	Demo         bool   // serve the demonstration database instead
	Dev          bool   // read templates from disk on every request
	LogFormat    string // "text" or "json"
	// VersionTTL is how long a process trusts the data version it read last before
	// serving widgets and the public API; 0 reads it on every request. A quarter
	// of a second keeps a publication through one instance on every other
	// instance's widgets and API within a second, for four small queries a second.
	VersionTTL time.Duration
	// TrustedProxies lists the addresses (CIDR ranges or single IPs) whose
	// X-Forwarded-For header is believed when finding a client's address.
	TrustedProxies string
	// Metrics says who may read /metrics (HRX_METRICS_ALLOW, HRX_METRICS_TOKEN).
	Metrics Metrics
	// SessionIdle ends a session that has not been used for this long;
	// SessionMax ends any session this long after sign-in.
	SessionIdle, SessionMax time.Duration
	// QueryTimeout bounds a public query (the figures API); past it the
	// request gets a 503 with Retry-After instead of holding the database.
	QueryTimeout time.Duration
	// ShutdownTimeout is how long hrx serve, told to stop, waits for the
	// requests in progress (an upload being applied) before cancelling them.
	ShutdownTimeout time.Duration
	// Mail is the mail server notifications are sent through (HRX_SMTP_URL,
	// HRX_MAIL_FROM); without it they stay in-app.
	Mail Mail
	// RemindBefore is how many days before a body's due day its editors get
	// the first reminder of missing figures.
	RemindBefore int
	// OIDC is single sign-on (HRX_OIDC_…); SignIn says who may still use a
	// password (HRX_PASSWORD_SIGNIN, HRX_BREAKGLASS_EMAIL).
	OIDC   OIDC
	SignIn SignIn
}

// Defaults are the settings when nothing is given.
func Defaults() Config {
	return Config{
		Addr:            ":8080",
		DatabaseURL:     "hrx.db",
		EmbedOrigins:    "*",
		MaxUploadMB:     20,
		LogFormat:       "text",
		VersionTTL:      250 * time.Millisecond,
		SessionIdle:     30 * time.Minute,
		SessionMax:      12 * time.Hour,
		QueryTimeout:    5 * time.Second,
		ShutdownTimeout: 5 * time.Minute,
		RemindBefore:    3,
	}
}

// DemoDatabase is the separate database `serve --demo` uses.
const DemoDatabase = "hrx-demo.db"

// Parse reads the environment (getenv) and then the flags in args, which win.
func Parse(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	c, err := FromEnv(getenv)
	if err != nil {
		return c, err
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.Flags(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.Finish()
	return c, nil
}

// LogFormats are the values HRX_LOG_FORMAT takes.
var LogFormats = []string{"text", "json"}

// FromEnv is the defaults with the environment (getenv) applied, each value checked.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Defaults()
	env := func(key string, dst *string) {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			*dst = v
		}
	}
	env("HRX_ADDR", &c.Addr)
	env("HRX_DATABASE_URL", &c.DatabaseURL)
	env("HRX_BASE_URL", &c.BaseURL)
	env("HRX_EMBED_ORIGINS", &c.EmbedOrigins)
	env("HRX_LOG_FORMAT", &c.LogFormat)
	if c.LogFormat = strings.ToLower(c.LogFormat); !slices.Contains(LogFormats, c.LogFormat) {
		return c, fmt.Errorf("HRX_LOG_FORMAT must be text or json; got %q", getenv("HRX_LOG_FORMAT"))
	}
	env("HRX_TRUSTED_PROXIES", &c.TrustedProxies)
	var err error
	if c.Metrics, err = parseMetrics(getenv); err != nil {
		return c, err
	}
	for _, d := range []struct {
		key string
		dst *time.Duration
	}{{"HRX_SESSION_IDLE", &c.SessionIdle}, {"HRX_SESSION_MAX", &c.SessionMax}, {"HRX_QUERY_TIMEOUT", &c.QueryTimeout}, {"HRX_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout}} {
		if v := strings.TrimSpace(getenv(d.key)); v != "" {
			t, err := time.ParseDuration(v)
			if err != nil || t <= 0 {
				return c, fmt.Errorf("%s must be a duration such as 30m or 12h; got %q", d.key, v)
			}
			*d.dst = t
		}
	}
	if v := strings.TrimSpace(getenv("HRX_MAX_UPLOAD_MB")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, fmt.Errorf("HRX_MAX_UPLOAD_MB must be a whole number of megabytes, 1 or more; got %q", v)
		}
		c.MaxUploadMB = n
	}
	c.Dev = getenv("HRX_DEV") == "1"
	m, err := ParseMail(getenv("HRX_SMTP_URL"), getenv("HRX_MAIL_FROM"))
	if err != nil {
		return c, err
	}
	c.Mail = m
	if v := strings.TrimSpace(getenv("HRX_REMIND_DAYS_BEFORE")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 14 {
			return c, fmt.Errorf("HRX_REMIND_DAYS_BEFORE must be a whole number of days from 1 to 14; got %q", v)
		}
		c.RemindBefore = n
	}
	if c.OIDC, err = ParseOIDC(getenv); err != nil {
		return c, err
	}
	if c.SignIn, err = parseSignIn(getenv, c.OIDC); err != nil {
		return c, err
	}
	return c, nil
}

// Flags adds the server's flags to fs, each defaulting to c's value (set from
// the environment), so that a flag given wins over the environment.
func (c *Config) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen `ADDRESS`, e.g. :8080 or 127.0.0.1:8080 (HRX_ADDR)")
	fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, "SQLite file or postgres:// `URL` (HRX_DATABASE_URL); not used with --demo")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public base `URL`, e.g. https://hrx.example.gov (HRX_BASE_URL)")
	fs.StringVar(&c.EmbedOrigins, "embed-origins", c.EmbedOrigins, "`ORIGINS` allowed to frame widgets, * for any (HRX_EMBED_ORIGINS)")
	fs.IntVar(&c.MaxUploadMB, "max-upload-mb", c.MaxUploadMB, "largest upload in `MB` (HRX_MAX_UPLOAD_MB)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "reverse proxies (`LIST`) whose X-Forwarded-For is believed, e.g. 10.0.0.0/8,127.0.0.1 (HRX_TRUSTED_PROXIES)")
	fs.StringVar(&c.Metrics.Allow, "metrics-allow", c.Metrics.Allow, "client addresses (`LIST` of CIDR ranges) that may read /metrics; default loopback only (HRX_METRICS_ALLOW)")
	fs.DurationVar(&c.SessionIdle, "session-idle", c.SessionIdle, "sign out after this long without use (HRX_SESSION_IDLE)")
	fs.DurationVar(&c.SessionMax, "session-max", c.SessionMax, "sign out this long after sign-in, whatever the use (HRX_SESSION_MAX)")
	fs.DurationVar(&c.QueryTimeout, "query-timeout", c.QueryTimeout, "longest a public figures query may run (HRX_QUERY_TIMEOUT)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "once told to stop, wait this long for requests in progress, then cancel them (HRX_SHUTDOWN_TIMEOUT)")
	fs.BoolVar(&c.Demo, "demo", false, "serve the demonstration database "+DemoDatabase+" (made and filled if needed) instead of --database or HRX_DATABASE_URL")
	fs.BoolVar(&c.Dev, "dev", c.Dev, "read templates from disk on every request (HRX_DEV=1)")
}

// Finish settles what follows from the flags: --demo's database, the base
// URL without a trailing slash.
func (c *Config) Finish() {
	if c.Demo {
		c.DatabaseURL = DemoDatabase
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
}

// PublicBaseURL is the base URL for links printed or embedded elsewhere.
func (c Config) PublicBaseURL() string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	host, port := "localhost", c.Addr
	if i := strings.LastIndex(c.Addr, ":"); i >= 0 {
		if h := c.Addr[:i]; h != "" && h != "0.0.0.0" && h != "[::]" {
			host = h
		}
		port = c.Addr[i+1:]
	}
	return "http://" + host + ":" + port
}
