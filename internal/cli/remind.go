package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"hrx/internal/bodies"
	"hrx/internal/i18n"
	"hrx/internal/notify"
)

var remindCommand = &command{
	name:    "remind",
	summary: "who is reminded of missing figures today, and why",
	about: "Lists who is reminded of missing figures on the day (today in India time by default) and why: editors of a " +
		"body HRX_REMIND_DAYS_BEFORE days (3) before its due day, the day after it, then weekly while figures are missing; " +
		"one reminder a person a day. Without --dry-run it also writes the reminders (in-app, and the e-mails that a running " +
		"hrx serve sends); hrx serve does this by itself every day.",
	examples: []string{"hrx remind --dry-run --date 2027-01-16"},
	env:      notifyEnv,
	setup: func(fs *flag.FlagSet, env Env) runFunc {
		dry := fs.Bool("dry-run", false, "only list who would be reminded, change nothing")
		date := fs.String("date", "", "the day, `YYYY-MM-DD` (default: today in India time)")
		dbURL := databaseFlag(fs)
		return func(ctx context.Context, pos []string) error { return remindCmd(ctx, env, pos, dry, date, dbURL) }
	},
}

// remindCmd is hrx remind: who would be reminded today and why.
func remindCmd(ctx context.Context, env Env, pos []string, dry *bool, date, dbURL *string) error {
	if len(pos) > 0 {
		return usageError{msg: fmt.Sprintf("hrx remind takes no arguments; got %q", pos[0]), helpFor: "remind"}
	}
	day := time.Now().In(bodies.Zone)
	if *date != "" {
		d, err := time.ParseInLocation(time.DateOnly, *date, bodies.Zone)
		if err != nil {
			return fmt.Errorf("--date must be a day such as 2025-11-16; got %q", *date)
		}
		day = d.Add(12 * time.Hour)
	}
	d, err := openDatabase(ctx, env, "hrx remind", *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := newNotifier(env, d, *dbURL)
	if err != nil {
		return err
	}
	plan, err := n.Reminders(ctx, day)
	if err != nil {
		return err
	}
	en := i18n.New(i18n.EN, "")
	fmt.Fprintf(env.Stdout, "Reminders for %s (India time): %d %s\n", day.Format("Monday 2 January 2006"), len(plan), plural(len(plan), "person", "people"))
	for _, p := range plan {
		prefs, err := n.PrefsOf(ctx, p.User.ID)
		if err != nil {
			return err
		}
		how := "by e-mail and in-app"
		switch {
		case !n.Mail():
			how = "in-app only: no mail server (HRX_SMTP_URL)"
		case !prefs.Wants(notify.ChoiceReminder):
			how = "in-app only: they turned reminder e-mails off"
		}
		fmt.Fprintf(env.Stdout, "\n%s (%s), %s:\n", p.User.Email, en.Tr(p.User.Role.Name()), how)
		for _, it := range p.Items {
			why := whyWords[it.Why]
			if it.Why == "soon" {
				why = fmt.Sprintf("%d %s before the due day", n.RemindBefore, plural(n.RemindBefore, "day", "days"))
			}
			fmt.Fprintf(env.Stdout, "  - %s [%s]\n", en.Tr(notify.ItemMsg(notify.Reminder, it, i18n.EN)), why)
		}
	}
	if *dry {
		if len(plan) > 0 {
			fmt.Fprintln(env.Stdout, "\n--dry-run: nothing was written or sent.")
		}
		return nil
	}
	written, err := n.Remind(ctx, day)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "\nReminded %d %s now; %d had been reminded on that day already.\n", written, plural(written, "person", "people"), len(plan)-written)
	return nil
}

// whyWords says why a reminder goes on that day.
var whyWords = map[string]string{
	"overdue": "the day after the due day",
	"weekly":  "weekly while figures are missing",
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
