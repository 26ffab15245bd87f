package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/demo"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/settings"
	"hrx/internal/users"
)

// Demo sign-in for `serve --demo`; it exists only in the demonstration database.
const (
	demoEmail    = "demo@example.org"
	demoPassword = "hrx-demo-password"
)

var demoCommand = &command{
	name:    "demo",
	summary: "add the invented demonstration data set to an empty database",
	about: "Fills an empty database with the demonstration data set: invented figures for every month from September 2024 " +
		"to last month, three reporting bodies with editors and an approver who sign in with the demo password, every month " +
		"published except the latest two. The figures are made up, so hrx demo refuses a database that holds any users, " +
		"figures or published months, and says how many. --force adds the invented figures there anyway, to the months " +
		"that have none, and leaves them open (unpublished), without the demonstration's sign-ins; --force --publish " +
		"publishes them too. To look at the demonstration, hrx serve --demo uses its own database, " + config.DemoDatabase + ".",
	examples: []string{
		"hrx demo --database demo.db   # a new, empty database",
		"hrx serve --demo              # or the separate demonstration database " + config.DemoDatabase,
		"hrx demo --date 2026-12-01    # as it was on that day: the same figures every time (README.md's examples)",
	},
	env: dbEnv,
	setup: func(fs *flag.FlagSet, env Env) runFunc {
		dbURL := databaseFlag(fs)
		force := fs.Bool("force", false, "add the invented figures even though the database holds users, figures or published months; they stay unpublished")
		publish := fs.Bool("publish", false, "with --force, publish the invented months too (all but the latest two)")
		date := fs.String("date", "", "build the demonstration as it was on the day `YYYY-MM-DD`: figures up to the month before (default: today)")
		return func(ctx context.Context, pos []string) error {
			if len(pos) > 0 {
				return usageError{msg: fmt.Sprintf("hrx demo takes no arguments; got %q", pos[0]), helpFor: "demo"}
			}
			today, err := demoDate(*date, time.Now())
			if err != nil {
				return err
			}
			return demoCmd(ctx, env, *dbURL, *force, *publish, today)
		}
	},
}

// demoDate reads hrx demo --date: a day no later than today (the months after
// today's cannot hold figures), today when it is empty.
func demoDate(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return now, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--date must be a day such as 2026-12-01; got %q", s)
	}
	if month.Of(d) > month.Of(now) {
		return time.Time{}, fmt.Errorf("--date %s is after this month: the demonstration holds figures up to the month before its day, and months after the current one take none", s)
	}
	if month.Of(d)-1 < demo.First {
		return time.Time{}, fmt.Errorf("--date %s is too early: the demonstration starts in %s, so its day is in %s or later", s, demo.First, demo.First+1)
	}
	return d, nil
}

func demoCmd(ctx context.Context, env Env, dbURL string, force, publish bool, today time.Time) error {
	cfg, err := config.Parse("hrx demo", dbArgs(dbURL), env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	d, err := openMigrated(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer d.Close()
	h, err := holdingsOf(ctx, d)
	if err != nil {
		return err
	}
	opt := demoOptions{publish: true}
	if !h.empty() {
		if !force {
			return fmt.Errorf("the database %s holds %s; the demonstration data set is invented and would be mixed with them, "+
				"so nothing was added. To look at the demonstration, run hrx serve --demo (its own database, %s). To add the "+
				"invented figures to this database anyway, run hrx demo --force: they stay in open months, unpublished; "+
				"hrx demo --force --publish publishes them too", redact(cfg.DatabaseURL), h, config.DemoDatabase)
		}
		opt = demoOptions{publish: publish, intoRealData: true}
		fmt.Fprintf(env.Stdout, "Demonstration data: --force: adding invented figures to a database that holds %s.\n", h)
	}
	return loadDemo(ctx, d, today, env.Stdout, opt)
}

// holdings is what a database holds that demonstration data must not be mixed with unasked.
type holdings struct{ users, figures, published int64 }

func (h holdings) empty() bool { return h == holdings{} }

// String says it in words: "3 users, 1,234 figures and 22 published months".
func (h holdings) String() string {
	l := i18n.New(i18n.EN, "")
	count := func(n int64, one, many string) string { return l.N(n) + " " + plural(int(n), one, many) }
	return count(h.users, "user", "users") + ", " + count(h.figures, "figure", "figures") + " and " +
		count(h.published, "published month", "published months")
}

func holdingsOf(ctx context.Context, d *db.DB) (holdings, error) {
	var h holdings
	var err error
	if h.users, err = users.NewStore(d).Count(ctx); err != nil {
		return h, err
	}
	fs := figures.NewStore(d)
	sums, err := fs.MonthSummaries(ctx)
	if err != nil {
		return h, err
	}
	for _, s := range sums {
		h.figures += s.Rows
	}
	states, err := approval.NewStore(d, fs).States(ctx)
	if err != nil {
		return h, err
	}
	for _, st := range states {
		if st.Public() {
			h.published++
		}
	}
	return h, nil
}

// demoOptions say how far loadDemo goes. publish: publish the months added
// (all but the latest two). intoRealData: the database holds users or
// figures of its own (hrx demo --force), so the demonstration's bodies and
// the people who sign in with the demo password are not added, its settings
// (the four-eyes rule) are left as they are, and no month that is not
// demonstration data is published or submitted.
type demoOptions struct{ publish, intoRealData bool }

// loadDemo adds the demonstration figures for every month that has none yet, so
// that a demo database started again on a later day gains the new months and
// keeps any month already there as it is.
func loadDemo(ctx context.Context, d *db.DB, today time.Time, out io.Writer, opt demoOptions) error {
	if !opt.intoRealData {
		if err := seedDemoBodies(ctx, d, out); err != nil {
			return err
		}
	}
	fs := figures.NewStore(d)
	sums, err := fs.MonthSummaries(ctx)
	if err != nil {
		return err
	}
	has := map[string]bool{}
	for _, s := range sums {
		has[s.Month] = true
	}
	var rows []figures.Figure
	months := map[string]bool{}
	for _, r := range demo.Generate(today) {
		m := r.Month.String()
		if has[m] {
			continue
		}
		months[m] = true
		rows = append(rows, figures.Figure{Month: m, Direction: r.Direction, Category: r.Category, Sector: r.Sector,
			Origin: r.Origin, Destination: r.Destination, Count: r.Count, Status: r.Status, Source: r.Source, Note: r.Note})
	}
	if len(rows) == 0 {
		fmt.Fprintln(out, "Demonstration data: every month already has figures; nothing added.")
		return nil
	}
	if len(sums) == 0 && opt.publish && !opt.intoRealData {
		// One person plays every role in the demonstration: the four-eyes
		// rule is off there (an administrator can turn it on).
		if err := settings.NewStore(d).Set(ctx, audit.System("hrx demo"), map[string]string{settings.FourEyes.Name: "off"}); err != nil {
			return err
		}
		fmt.Fprintln(out, "Demonstration data: the four-eyes rule is off, so one person can submit and publish.")
	}
	if err := fs.Insert(ctx, audit.System("hrx demo"), rows, "demonstration data set"); err != nil {
		return fmt.Errorf("loading demonstration data: %w", err)
	}
	fmt.Fprintf(out, "Demonstration data: added %d figures for %d months.\n", len(rows), len(months))
	if err := demoArrivals(ctx, d, months, today); err != nil {
		return err
	}
	if !opt.publish {
		fmt.Fprintln(out, "Demonstration data: the months stay open; nothing was published (add --publish to publish them).")
		return nil
	}
	return publishDemo(ctx, d, months, out, opt.intoRealData)
}

// publishDemo publishes every month up to the latest two in month order (the
// months added before as well, as publication goes in order), and submits the
// one before the latest when it is open, so that the demonstration shows
// every state: published history, a month waiting for review and an open
// month. The history's figures far from their recent level are confirmed as
// demonstration data; the month waiting for review keeps its flags for the
// approver. A month the demonstration's users left unpublishable stops the
// publication there, which is said, not fatal.
//
// Into a database with data of its own (intoRealData), publication sets the
// four-eyes rule aside (recorded in the audit log) rather than turning it
// off, stops before the first month that is neither demonstration data nor
// published, and submits nothing.
func publishDemo(ctx context.Context, d *db.DB, added map[string]bool, out io.Writer, intoRealData bool) error {
	var latest month.Month
	for m := range added {
		latest = max(latest, month.MustParse(m))
	}
	ap := approval.NewStore(d, figures.NewStore(d))
	actor := audit.System("hrx demo")
	if latest-2 < demo.First {
		return nil
	}
	last := latest - 2
	if intoRealData {
		states, err := ap.States(ctx)
		if err != nil {
			return err
		}
		for m := demo.First; m <= last; m++ {
			if !added[m.String()] && !states[m].Public() {
				fmt.Fprintf(out, "Demonstration data: published up to %s only; %s is not demonstration data and is not published.\n", m-1, m)
				last = m - 1
				break
			}
		}
		if last < demo.First {
			return nil
		}
	}
	res, err := ap.PublishRange(ctx, actor, demo.First, last, approval.RangeOptions{Comment: "demonstration data set", ConfirmFlags: "demonstration data set", SingleApprover: intoRealData})
	if err != nil {
		return fmt.Errorf("publishing the demonstration months: %w", err)
	}
	if res.Stopped != nil {
		fmt.Fprintln(out, "Demonstration data: not every month was published:", res.Stopped)
		return nil
	}
	if intoRealData {
		return nil
	}
	if st, err := ap.State(ctx, latest-1); err != nil || st.State != approval.Open {
		return err
	}
	if _, err := ap.Do(ctx, actor, users.Admin, (latest - 1).String(), approval.Submit, ""); err != nil {
		return fmt.Errorf("submitting demonstration month %s: %w", latest-1, err)
	}
	return nil
}

// ensureDemoUser creates the demo administrator once and prints how to sign in.
func ensureDemoUser(ctx context.Context, us *users.Store, out io.Writer) error {
	_, err := us.ByEmail(ctx, demoEmail)
	if errors.Is(err, apperr.ErrNotFound) {
		_, err = us.Create(ctx, audit.System("hrx serve --demo"), users.NewUser{Email: demoEmail, Name: "Demo administrator", Role: users.Admin, Password: demoPassword})
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Demo sign-in: %s / %s (administrator; demonstration database only)\n", demoEmail, demoPassword)
	return nil
}
