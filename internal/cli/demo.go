package cli

import (
	"context"
	"errors"
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
	"hrx/internal/month"
	"hrx/internal/settings"
	"hrx/internal/users"
)

// Demo sign-in for `serve --demo`; it exists only in the demonstration database.
const (
	demoEmail    = "demo@example.org"
	demoPassword = "hrx-demo-password"
)

func demoCmd(ctx context.Context, env Env, args []string) error {
	cfg, err := config.Parse("hrx demo", args, env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	d, err := openMigrated(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer d.Close()
	return loadDemo(ctx, d, time.Now(), env.Stdout)
}

// loadDemo adds the demonstration figures for every month that has none yet, so
// that a demo database started again on a later day gains the new months and
// keeps any month already there as it is.
func loadDemo(ctx context.Context, d *db.DB, today time.Time, out io.Writer) error {
	if err := seedDemoBodies(ctx, d, out); err != nil {
		return err
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
	if len(sums) == 0 {
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
	return publishDemo(ctx, d, months, out)
}

// publishDemo publishes every month up to the latest two in month order (the
// months added before as well, as publication goes in order), and submits the
// one before the latest when it is open, so that the demonstration shows
// every state: published history, a month waiting for review and an open
// month. The history's figures far from their recent level are confirmed as
// demonstration data; the month waiting for review keeps its flags for the
// approver. A month the demonstration's users left unpublishable stops the
// publication there, which is said, not fatal.
func publishDemo(ctx context.Context, d *db.DB, added map[string]bool, out io.Writer) error {
	var latest month.Month
	for m := range added {
		latest = max(latest, month.MustParse(m))
	}
	ap := approval.NewStore(d, figures.NewStore(d))
	actor := audit.System("hrx demo")
	if latest-2 < demo.First {
		return nil
	}
	res, err := ap.PublishRange(ctx, actor, demo.First, latest-2, approval.RangeOptions{Comment: "demonstration data set", ConfirmFlags: "demonstration data set"})
	if err != nil {
		return fmt.Errorf("publishing the demonstration months: %w", err)
	}
	if res.Stopped != nil {
		fmt.Fprintln(out, "Demonstration data: not every month was published:", res.Stopped)
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
