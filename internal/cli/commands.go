package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// A command is one thing hrx does: its words for the help (and README.md,
// which a test holds to them), the flags it takes and what it runs.
type command struct {
	name     string   // "import", "month publish"
	args     string   // the arguments after the flags in the synopsis, e.g. "FILE"
	required []string // flags that must be given (shown without brackets)
	summary  string   // one line for the list of commands
	about    string   // what it does, in full
	examples []string // command lines, each with what it does after a #
	env      []string // the environment variables it reads
	// setup adds the command's flags to fs and returns what runs it with
	// the positional arguments once the flags are parsed.
	setup func(fs *flag.FlagSet, env Env) runFunc
}

type runFunc func(ctx context.Context, pos []string) error

// The environment variables each kind of command reads.
var (
	dbEnv     = []string{"HRX_DATABASE_URL", "HRX_LOG_FORMAT"}
	mailEnv   = []string{"HRX_SMTP_URL", "HRX_MAIL_FROM", "HRX_BASE_URL"}
	notifyEnv = slices.Concat(dbEnv, mailEnv, []string{"HRX_REMIND_DAYS_BEFORE"})
)

// envVar is an environment variable hrx reads, for the help.
type envVar struct{ name, value, meaning string }

// envVars are every environment variable hrx reads (internal/config); flags win over them.
var envVars = []envVar{
	{"HRX_ADDR", ":8080", "listen address (--addr)"},
	{"HRX_DATABASE_URL", "hrx.db", "SQLite file or postgres://user@host/db (--database); not used by serve --demo"},
	{"HRX_BASE_URL", "http://localhost:PORT", "the public URL every absolute link is built from (--base-url)"},
	{"HRX_EMBED_ORIGINS", "*", "origins allowed to frame the widgets (--embed-origins)"},
	{"HRX_MAX_UPLOAD_MB", "20", "the largest upload in MB (--max-upload-mb)"},
	{"HRX_TRUSTED_PROXIES", "none", "reverse proxies whose X-Forwarded-For is believed (--trusted-proxies)"},
	{"HRX_METRICS_ALLOW", "loopback", "client addresses (CIDR ranges) that may read /metrics (--metrics-allow)"},
	{"HRX_METRICS_TOKEN", "none", "a bearer token /metrics asks for (at least 16 characters)"},
	{"HRX_SESSION_IDLE", "30m", "a session ends after this long without use (--session-idle)"},
	{"HRX_SESSION_MAX", "12h", "a session ends this long after sign-in (--session-max)"},
	{"HRX_QUERY_TIMEOUT", "5s", "the longest a figures API query may run (--query-timeout)"},
	{"HRX_SHUTDOWN_TIMEOUT", "5m", "once told to stop, how long serve waits for requests in progress (--shutdown-timeout)"},
	{"HRX_SMTP_URL", "none", "the mail server, e.g. smtp://user:password@host:587; none: notifications stay in-app"},
	{"HRX_MAIL_FROM", "none", "the sender of the e-mails, e.g. 'HRX <hrx@example.gov.in>'"},
	{"HRX_REMIND_DAYS_BEFORE", "3", "days before a body's due day of the first reminder (1-14)"},
	{"HRX_LOG_FORMAT", "text", "the log lines' format: text or json"},
	{"HRX_DEV", "off", "1: read templates from disk on every request (--dev)"},
	{"HRX_OIDC_ISSUER", "none", "single sign-on: the OpenID Connect provider's issuer URL; none: passwords only"},
	{"HRX_OIDC_CLIENT_ID", "none", "HRX's client id at the provider (the ID token's audience)"},
	{"HRX_OIDC_CLIENT_SECRET", "none", "HRX's client secret at the provider"},
	{"HRX_OIDC_NAME", "the issuer's host", "the provider's name on the button: Sign in with NAME"},
	{"HRX_OIDC_SCOPES", "openid,email,profile", "the scopes asked for (openid is always added)"},
	{"HRX_OIDC_GROUPS_CLAIM", "groups", "the ID token claim that lists a person's groups"},
	{"HRX_OIDC_ROLES", "none", "who gets an account at first sign-in, e.g. domain:mea.gov.in=editor,group:hrx-admins=admin,*=ask"},
	{"HRX_PASSWORD_SIGNIN", "on", "off: only HRX_BREAKGLASS_EMAIL signs in with a password; everyone else through single sign-on"},
	{"HRX_BREAKGLASS_EMAIL", "none", "the administrator who keeps a password when HRX_PASSWORD_SIGNIN=off"},
}

// commands are every command hrx knows, in the order the help lists them.
var commands = []*command{
	serveCommand, migrateCommand, userAddCommand, importCommand, exportCommand, reportCommand,
	monthPublishCommand, monthReopenCommand, tokenAddCommand, backupCommand,
	restoreCommand, mailTestCommand, remindCommand, demoCommand, versionCommand,
}

var versionCommand = &command{
	name:     "version",
	summary:  "print the version",
	about:    "Prints the version hrx was built from (its commit), or dev.",
	examples: []string{"hrx version"},
	setup: func(fs *flag.FlagSet, env Env) runFunc {
		return func(ctx context.Context, pos []string) error {
			if len(pos) > 0 {
				return fmt.Errorf("unexpected argument %q", pos[0])
			}
			fmt.Fprintln(env.Stdout, "hrx", version())
			return nil
		}
	},
}

const intro = `hrx tracks the India–Japan Action Plan for Human Resource Exchange.

Usage:
  hrx COMMAND [flags] [arguments]   flags may come before or after the arguments
  hrx [serve flags]                 with no command, hrx serve
  hrx help [COMMAND]                this help, or one command's (also hrx COMMAND --help)
`

// usageError is a command line hrx cannot read: exit status 2.
type usageError struct{ msg, helpFor string }

func (e usageError) Error() string { return e.msg }

// topWords are the first words of the commands: "serve", "month", …
func topWords() []string {
	var out []string
	for _, c := range commands {
		w, _, _ := strings.Cut(c.name, " ")
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// group is the commands whose first word is w.
func group(w string) []*command {
	var out []*command
	for _, c := range commands {
		if first, _, _ := strings.Cut(c.name, " "); first == w {
			out = append(out, c)
		}
	}
	return out
}

// find reads the command named at the start of args: the commands it
// names (one, or a group such as month when no second word says which),
// and the arguments left.
func find(args []string) ([]*command, []string, error) {
	w := args[0]
	g := group(w)
	if len(g) == 0 {
		return nil, nil, usageError{msg: fmt.Sprintf("unknown command %q%s", w, didYouMean(w, append(topWords(), "help"), ""))}
	}
	if len(g) == 1 && g[0].name == w {
		return g, args[1:], nil
	}
	var subs []string
	for _, c := range g {
		subs = append(subs, strings.TrimPrefix(c.name, w+" "))
	}
	if len(args) < 2 || strings.HasPrefix(args[1], "-") {
		return g, args[1:], usageError{msg: fmt.Sprintf("hrx %s needs one of: %s", w, strings.Join(subs, ", ")), helpFor: w}
	}
	for _, c := range g {
		if c.name == w+" "+args[1] {
			return []*command{c}, args[2:], nil
		}
	}
	return g, nil, usageError{msg: fmt.Sprintf("unknown command \"hrx %s %s\"%s", w, args[1], didYouMean(args[1], subs, "hrx "+w+" ")), helpFor: w}
}

func isHelpFlag(s string) bool { return s == "-h" || s == "-help" || s == "--help" }

// RunWith runs a command with the given environment and returns the exit
// status: 0 done, 1 failed, 2 a command line hrx cannot read.
func RunWith(ctx context.Context, env Env, args []string) int {
	switch {
	case len(args) == 0:
		args = []string{"serve"}
	case isHelpFlag(args[0]):
		printOverview(env.Stdout)
		return 0
	case args[0] == "help":
		return help(env, args[1:])
	case strings.HasPrefix(args[0], "-"):
		args = append([]string{"serve"}, args...)
	}
	cmds, rest, err := find(args)
	if err != nil {
		if len(cmds) > 0 && len(rest) > 0 && isHelpFlag(rest[0]) {
			printCommands(env.Stdout, cmds)
			return 0
		}
		return usage(env, err)
	}
	return runCommand(ctx, env, cmds[0], rest)
}

// usage says what hrx could not read, and where its usage is: exit status 2.
func usage(env Env, err error) int {
	if msg := err.Error(); strings.HasPrefix(msg, "hrx ") {
		fmt.Fprintln(env.Stderr, msg)
	} else {
		fmt.Fprintln(env.Stderr, "hrx:", msg)
	}
	if ue, ok := err.(usageError); ok && ue.helpFor != "" {
		fmt.Fprintf(env.Stderr, "Run hrx help %s for its usage.\n", ue.helpFor)
	} else {
		fmt.Fprintln(env.Stderr, "Run hrx help for the commands and their flags.")
	}
	return 2
}

func help(env Env, args []string) int {
	if len(args) == 0 || (len(args) == 1 && (args[0] == "help" || isHelpFlag(args[0]))) {
		printOverview(env.Stdout)
		return 0
	}
	cmds, rest, err := find(args)
	if err != nil && len(rest) == 0 && len(args) == 1 && len(cmds) > 0 {
		err = nil // hrx help month: both month commands
	}
	if err == nil && len(rest) > 0 {
		err = usageError{msg: fmt.Sprintf("hrx help takes one command; got %q after it", rest[0])}
	}
	if err != nil {
		return usage(env, err)
	}
	printCommands(env.Stdout, cmds)
	return 0
}

// runCommand parses the command's flags and runs it.
func runCommand(ctx context.Context, env Env, c *command, args []string) int {
	fs := flag.NewFlagSet("hrx "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	run := c.setup(fs, env)
	pos, err := parseInterspersed(fs, args)
	if err == flag.ErrHelp {
		printCommands(env.Stdout, []*command{c})
		return 0
	}
	if err != nil {
		return usage(env, usageError{msg: "hrx " + c.name + ": " + flagError(err, fs), helpFor: c.name})
	}
	if err := run(ctx, pos); err != nil {
		if ue, ok := err.(usageError); ok {
			return usage(env, ue)
		}
		if err != errRejected {
			fmt.Fprintln(env.Stderr, "hrx:", err)
		}
		return 1
	}
	return 0
}

// flagError rewords the flag package's error with the flags spelled --name
// and, for an unknown flag, the nearest one the command has.
func flagError(err error, fs *flag.FlagSet) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		return fmt.Sprintf("unknown flag --%s%s", name, didYouMean(name, names, "--"))
	}
	msg = strings.Replace(msg, "flag -", "flag --", 1)
	return strings.Replace(msg, "argument: -", "argument: --", 1)
}

// didYouMean names the nearest of the candidates to what was typed, if one
// is near enough: "; did you mean serve?".
func didYouMean(typed string, candidates []string, prefix string) string {
	typed = strings.ToLower(typed)
	best, bestD := "", -1
	for _, c := range candidates {
		d := editDistance(typed, c)
		if len(typed) >= 3 && strings.HasPrefix(c, typed) {
			d = min(d, 1)
		}
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD < 0 || (bestD > 2 && bestD*3 > len(typed)) {
		return ""
	}
	return fmt.Sprintf("; did you mean %s%s?", prefix, best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// flagsOf lists a command's flags, as its help shows them.
func flagsOf(c *command) []*flag.Flag {
	fs := flag.NewFlagSet("hrx "+c.name, flag.ContinueOnError)
	c.setup(fs, Env{Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: io.Discard})
	var out []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { out = append(out, f) })
	return out
}

// flagWords is how a flag is written in the help: "--as EMAIL", "--dry-run".
func flagWords(f *flag.Flag) string {
	name, _ := flag.UnquoteUsage(f)
	switch name {
	case "":
		return "--" + f.Name
	case "string":
		name = "VALUE"
	case "int":
		name = "N"
	case "duration":
		name = "DURATION"
	}
	return "--" + f.Name + " " + name
}

// synopsis is the command's usage line, from its flags.
func synopsis(c *command) string {
	parts := []string{"hrx " + c.name}
	for _, f := range flagsOf(c) {
		if slices.Contains(c.required, f.Name) {
			parts = append(parts, flagWords(f))
		} else {
			parts = append(parts, "["+flagWords(f)+"]")
		}
	}
	if c.args != "" {
		parts = append(parts, c.args)
	}
	return wrap(strings.Join(parts, " "), "  ", "      ")
}

// wrap breaks s into lines of at most 100 characters, at spaces outside brackets.
func wrap(s, first, rest string) string {
	var b strings.Builder
	line, depth, start := first, 0, 0
	flush := func(word string) {
		if len(line)+len(word) > 100 && strings.TrimSpace(line) != "" {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = rest
		}
		line += word
	}
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case ' ':
			if depth == 0 {
				flush(s[start : i+1])
				start = i + 1
			}
		}
	}
	flush(s[start:])
	b.WriteString(line)
	return b.String()
}

// printCommand writes one command's full usage.
func printCommand(w io.Writer, c *command) {
	fmt.Fprintf(w, "hrx %s: %s\n\nUsage:\n%s\n\n", c.name, c.summary, synopsis(c))
	fmt.Fprintln(w, wrap(c.about, "", ""))
	if fl := flagsOf(c); len(fl) > 0 {
		fmt.Fprintln(w, "\nFlags:")
		for _, f := range fl {
			name, usage := flag.UnquoteUsage(f)
			usage = strings.Replace(usage, " ("+name+")", "", 1)
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "0s" {
				usage += " (default " + f.DefValue + ")"
			}
			fmt.Fprintln(w, wrap(fmt.Sprintf("%-26s %s", flagWords(f), usage), "  ", strings.Repeat(" ", 29)))
		}
	}
	if len(c.env) > 0 {
		fmt.Fprintln(w, "\nEnvironment:")
		for _, e := range envVars {
			if slices.Contains(c.env, e.name) {
				fmt.Fprintf(w, "  %-26s %s\n", e.name, e.meaning)
			}
		}
	}
	fmt.Fprintln(w, "\nExample:")
	for _, ex := range c.examples {
		fmt.Fprintln(w, "  "+ex)
	}
}

func printCommands(w io.Writer, cmds []*command) {
	for i, c := range cmds {
		if i > 0 {
			fmt.Fprintln(w)
		}
		printCommand(w, c)
	}
}

// printOverview writes every command's full usage and the environment.
func printOverview(w io.Writer) {
	fmt.Fprint(w, intro, "\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-15s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-15s %s\n", "help", "this help, or one command's")
	fmt.Fprint(w, "\nEnvironment (a flag given wins over it):\n")
	for _, e := range envVars {
		fmt.Fprintf(w, "  %-26s %s (default %s)\n", e.name, e.meaning, e.value)
	}
	for _, c := range commands {
		fmt.Fprintf(w, "\n%s\n\n", strings.Repeat("─", 60))
		printCommand(w, c)
	}
}
