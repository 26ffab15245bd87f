package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/imports"
	"hrx/internal/upload"
	"hrx/internal/users"
)

// errRejected ends `hrx import` with status 1 after the problems were printed.
var errRejected = errors.New("the file was rejected; nothing was applied")

// parseInterspersed lets flags come before or after the positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

var importCommand = &command{
	name:    "import",
	args:    "FILE",
	summary: "import a CSV or XLSX file of figures",
	about: "Reads FILE in the upload format (CSV or XLSX, as the upload page takes) and applies it, as an upload on the " +
		"imports page would; with --dry-run it only checks the file and prints what it would change. Every problem is printed " +
		"with its line and column; a file with any error is rejected whole and the exit status is 1.",
	examples: []string{
		"hrx import --dry-run 2025-09.csv   # check the file; apply nothing",
		"hrx import --as editor@example.gov.in 2025-09.xlsx",
	},
	env:   dbEnv,
	setup: importSetup,
}

func importSetup(fs *flag.FlagSet, env Env) runFunc {
	dry := fs.Bool("dry-run", false, "check the file and show what would change; apply nothing")
	replace := fs.Bool("replace", false, "remove the figures of the file's months that the file does not have")
	asJSON := fs.Bool("json", false, "print the API's JSON document instead of text")
	as := fs.String("as", "", "record the import as this user, an editor or higher (`EMAIL`)")
	dbURL := databaseFlag(fs)
	return func(ctx context.Context, pos []string) error {
		return importCmd(ctx, env, pos, *dry, *replace, *asJSON, *as, *dbURL)
	}
}

func importCmd(ctx context.Context, env Env, pos []string, dry, replace, asJSON bool, as, dbURL string) error {
	if len(pos) != 1 {
		return usageError{msg: "hrx import takes one FILE", helpFor: "import"}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	d, err := openDatabase(ctx, env, "hrx import", dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	actor := audit.System("hrx import")
	if as != "" {
		u, err := userAs(ctx, d, as, users.Editor, "import")
		if err != nil {
			return err
		}
		actor = u.Actor()
	}
	mode := imports.Merge
	if replace {
		mode = imports.Replace
	}
	st := imports.NewStore(d)
	// Without --dry-run a file without errors is applied in the transaction that checks it.
	im, err := st.Stage(ctx, actor, imports.Upload{Name: filepath.Base(pos[0]), Body: f, Mode: mode, Apply: !dry})
	if err != nil {
		return err
	}
	if asJSON {
		sum, err := st.SummaryOf(ctx, im)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sum); err != nil {
			return err
		}
	} else if err := printSummary(ctx, env.Stdout, st, im, dry); err != nil {
		return err
	}
	if im.ErrorCount > 0 {
		return errRejected
	}
	return nil
}

func printSummary(ctx context.Context, w io.Writer, st *imports.Store, im imports.Import, dry bool) error {
	// The terminal's words are English, from the same messages the pages use.
	l := i18n.New(i18n.EN, "")
	say := func(id string, nameValues ...any) {
		fmt.Fprintln(w, l.Tr(i18n.M(id, nameValues...)))
	}
	if f := im.FormatMsg(); f.IsZero() {
		say("imports.cli.file_unread", "file", im.FileName, "size", im.FileSize, "sha256", im.SHA256)
	} else {
		say("imports.cli.file", "file", im.FileName, "format", f, "size", im.FileSize, "sha256", im.SHA256)
	}
	rows := i18n.M("imports.cli.rows", "count", im.RowCount, "new", im.NewCount, "changed", im.ChangedCount, "unchanged", im.UnchangedCount)
	if im.Mode == imports.Replace {
		rows = i18n.M("imports.cli.rows_replace", "count", im.RowCount, "new", im.NewCount, "changed", im.ChangedCount,
			"unchanged", im.UnchangedCount, "removed", im.RemovedCount)
	}
	say("imports.cli.summary", "rows", rows, "errors", i18n.M("imports.cli.errors", "count", im.ErrorCount),
		"warnings", i18n.M("imports.cli.warnings", "count", im.WarningCount))
	err := st.EachIssue(ctx, im.ID, func(sev string, is upload.Issue) error {
		where := i18n.M("imports.cli.where_file")
		if is.Line > 0 {
			where = i18n.M("imports.cli.where_line", "line", is.Line)
			if is.Column != "" {
				where = i18n.M("imports.cli.where_cell", "line", is.Line, "column", is.Column)
			}
		}
		severity := i18n.M("imports.severity." + sev)
		var m i18n.Msg
		if is.Value != "" {
			m = i18n.M("imports.cli.issue_value", "severity", severity, "where", where, "value", strconv.Quote(is.Value), "message", is.Msg)
		} else {
			m = i18n.M("imports.cli.issue", "severity", severity, "where", where, "message", is.Msg)
		}
		_, err := fmt.Fprintln(w, l.Tr(m))
		return err
	})
	if err != nil {
		return err
	}
	switch {
	case im.ErrorCount > 0:
		say("imports.cli.rejected")
	case dry:
		say("imports.cli.dry_run")
	case im.State == imports.Applied:
		say("imports.cli.applied", "id", strconv.FormatInt(im.ID, 10))
	}
	return nil
}

// userAs finds the user named by --as and checks they hold the role the command needs.
func userAs(ctx context.Context, d *db.DB, email string, need users.Role, doing string) (users.User, error) {
	u, err := users.NewStore(d).ByEmail(ctx, email)
	if err != nil {
		return u, fmt.Errorf("--as %s: no such user", email)
	}
	if !u.Can(need) {
		return u, fmt.Errorf("--as %s: a %s cannot %s; it needs the %s role or higher", email, u.Role, doing, need)
	}
	return u, nil
}

func dbArgs(url string) []string {
	if url == "" {
		return nil
	}
	return []string{"--database", url}
}

var exportCommand = &command{
	name:    "export",
	summary: "write figures in the upload format",
	about: "Writes every figure, published or not (or with --published only what the public sees), in the upload format: " +
		"CSV with a BOM or XLSX, so that the file can be edited and imported again.",
	examples: []string{
		"hrx export --format xlsx --out figures.xlsx --from 2025-09 --to 2026-08",
		"hrx export --published > public.csv   # only what the public sees",
	},
	env:   dbEnv,
	setup: exportSetup,
}

func exportSetup(fs *flag.FlagSet, env Env) runFunc {
	format := fs.String("format", "", formatNames()+" (default: from --out's extension, else "+string(upload.Formats()[0])+")")
	out := fs.String("out", "", "`FILE` to write (default: standard output)")
	from := fs.String("from", "", "first month, `YYYY-MM`")
	to := fs.String("to", "", "last month, `YYYY-MM`")
	published := fs.Bool("published", false, "only what the public sees: published months, as last published")
	dbURL := databaseFlag(fs)
	return func(ctx context.Context, pos []string) error {
		return exportCmd(ctx, env, pos, *format, *out, *from, *to, *published, *dbURL)
	}
}

func exportCmd(ctx context.Context, env Env, pos []string, format, out, from, to string, published bool, dbURL string) error {
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q; use --out FILE", pos[0])
	}
	filter := figures.Filter{From: from, To: to}
	if err := filter.Check(); err != nil {
		return fmt.Errorf("--from/--to: %v", err)
	}
	wf := upload.Formats()[0]
	if format == "" {
		if f, ok := upload.ParseFormat(strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")); ok {
			wf = f
		}
	} else if f, ok := upload.ParseFormat(format); ok {
		wf = f
	} else {
		return fmt.Errorf("--format %s: use %s", format, formatNames())
	}
	d, err := openDatabase(ctx, env, "hrx export", dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	w := env.Stdout
	var file *os.File
	if out != "" {
		if file, err = os.Create(out); err != nil {
			return err
		}
		w = file
	}
	fstore := figures.NewStore(d)
	view := figures.Staff
	if published {
		view = figures.Public
	}
	each := func(fn func(figures.Figure) error) error {
		return fstore.Each(ctx, view, filter, fn)
	}
	err = wf.Write(w, each)
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// formatNames lists the export formats for hrx export's help: "csv or xlsx".
func formatNames() string {
	var names []string
	for _, f := range upload.Formats() {
		names = append(names, string(f))
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

var tokenAddCommand = &command{
	name:     "token add",
	required: []string{"email"},
	summary:  "create an API token (printed once)",
	about:    "Creates an API token that acts for the user with --email (with that user's role) and prints it once; only a hash of it is kept.",
	examples: []string{`hrx token add --email editor@example.gov.in --name "nightly upload"`},
	env:      dbEnv,
	setup: func(fs *flag.FlagSet, env Env) runFunc {
		email := fs.String("email", "", "the user the token acts for (`EMAIL`)")
		name := fs.String("name", "", "what the token is for (`TEXT`)")
		dbURL := databaseFlag(fs)
		return func(ctx context.Context, pos []string) error {
			if len(pos) > 0 {
				return fmt.Errorf("unexpected argument %q", pos[0])
			}
			return tokenCmd(ctx, env, email, name, dbURL)
		}
	},
}

func tokenCmd(ctx context.Context, env Env, email, name, dbURL *string) error {
	if *email == "" {
		return errors.New("hrx token add needs --email")
	}
	d, err := openDatabase(ctx, env, "hrx token add", *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	us := users.NewStore(d)
	u, err := us.ByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("--email %s: no such user", *email)
	}
	plain, _, err := us.CreateToken(ctx, audit.System("hrx token add"), u.ID, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "token for %s (%s); shown once, keep it secret:\n%s\n", u.Email, u.Role, plain)
	return nil
}
