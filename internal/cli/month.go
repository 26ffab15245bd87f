package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/users"
)

var monthPublishCommand = &command{
	name:    "month publish",
	args:    "FROM..TO",
	summary: "publish a range of months in month order, stopping at the first it cannot",
	about: "Publishes the months FROM..TO (or one month) in month order under the same rules as the month page: the four-eyes " +
		"rule, the publish checks and a reason for each figure flagged as far from its recent level. It stops at the first month " +
		"that cannot be published, says why, and exits with status 1. For loading years of already official history: " +
		"--single-approver sets the four-eyes rule aside, --nothing-to-report publishes empty months as such and --confirm-flags " +
		"confirms every flagged figure with one reason, each recorded in the audit log.",
	examples: []string{
		"hrx month publish 2025-09..2026-10 --as approver@example.gov.in",
		`hrx month publish 2024-04..2025-08 --single-approver --comment "official history"`,
	},
	env:   notifyEnv,
	setup: func(fs *flag.FlagSet, env Env) runFunc { return monthSetup(fs, env, "publish") },
}

var monthReopenCommand = &command{
	name:     "month reopen",
	args:     "MONTH",
	required: []string{"reason"},
	summary:  "reopen a published month for revision",
	about: "Reopens a published month (YYYY-MM) so that its figures can be revised; the public keeps seeing its last " +
		"publication until it is published again. The reason is kept in the audit log and sent to the body's editors.",
	examples: []string{`hrx month reopen 2025-10 --reason "ISA revised October"`},
	env:      notifyEnv,
	setup:    func(fs *flag.FlagSet, env Env) runFunc { return monthSetup(fs, env, "reopen") },
}

// monthOptions are the flags of hrx month publish and reopen.
type monthOptions struct {
	as, reason, comment, confirmFlags, dbURL *string
	single, nothing                          *bool
}

func monthSetup(fs *flag.FlagSet, env Env, verb string) runFunc {
	o := monthOptions{as: fs.String("as", "", "record the change as this user, an approver or admin (`EMAIL`)")}
	empty, no := "", false
	o.reason, o.comment, o.confirmFlags, o.single, o.nothing = &empty, &empty, &empty, &no, &no
	if verb == "reopen" {
		o.reason = fs.String("reason", "", "why the month is reopened (`TEXT`)")
	} else {
		o.comment = fs.String("comment", "", "a note kept with each publication in the audit log; with --nothing-to-report, the reason (`TEXT`)")
		o.single = fs.Bool("single-approver", false, "set the four-eyes rule aside to load official history; recorded in the audit log")
		o.nothing = fs.Bool("nothing-to-report", false, "publish the range's months that have no figures as \"nothing to report\", with --comment as the reason")
		o.confirmFlags = fs.String("confirm-flags", "", "confirm every figure flagged as far from its recent level with this `REASON`, recorded for each")
	}
	o.dbURL = databaseFlag(fs)
	return func(ctx context.Context, pos []string) error { return monthCmd(ctx, env, verb, pos, o) }
}

// monthCmd is the approval workflow from the command line, for loading years
// of already official history: publish a range, reopen a month. Publishing
// follows the same rules as the month page (in month order, the four-eyes
// rule, the publish checks, a reason for each figure flagged as far from its
// recent level); --single-approver sets the four-eyes rule aside,
// --nothing-to-report publishes empty months as such, and --confirm-flags
// confirms every flagged figure with one reason, each recorded in the audit log.
func monthCmd(ctx context.Context, env Env, verb string, pos []string, o monthOptions) error {
	as, reason, comment, confirmFlags, dbURL, single, nothing := o.as, o.reason, o.comment, o.confirmFlags, o.dbURL, o.single, o.nothing
	if len(pos) != 1 {
		what := "one range of months, FROM..TO or a single YYYY-MM"
		if verb == "reopen" {
			what = "one month, YYYY-MM"
		}
		return usageError{msg: "hrx month " + verb + " takes " + what, helpFor: "month " + verb}
	}
	from, to, err := monthRange(pos[0])
	if err != nil {
		return err
	}
	if verb == "reopen" && (from != to || strings.TrimSpace(*reason) == "") {
		return apperr.New(apperr.Invalid, "month.cli.reopen_needs")
	}
	d, err := openDatabase(ctx, env, "hrx month", *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	actor, role := audit.System("hrx month "+verb), users.Admin
	if *as != "" {
		u, err := userAs(ctx, d, *as, users.Approver, verb+" months")
		if err != nil {
			return err
		}
		actor, role = u.Actor(), u.Role
	}
	// The command line speaks English, in the same words as the pages.
	say := func(prefix string, m i18n.Msg) { fmt.Fprintln(env.Stdout, prefix+i18n.New(i18n.EN, "").Tr(m)) }
	st := approval.NewStore(d, figures.NewStore(d))
	n, err := newNotifier(env, d, *dbURL)
	if err != nil {
		return err
	}
	st.SetNotifier(n)
	if verb == "reopen" {
		if _, err := st.Do(ctx, actor, role, from.String(), approval.Reopen, *reason); err != nil {
			return err
		}
		say("", i18n.M("month.moved.reopen", "month", from))
		return nil
	}
	res, err := st.PublishRange(ctx, actor, from, to, approval.RangeOptions{Comment: *comment, SingleApprover: *single, NothingToReport: *nothing, ConfirmFlags: *confirmFlags})
	if err != nil {
		return err
	}
	list := func(id string, ms []string) {
		if len(ms) > 0 {
			say("", i18n.M(id, "count", len(ms), "months", strings.Join(ms, ", ")))
		}
	}
	list("month.cli.published", res.Published)
	list("approval.range.nothing", res.Nothing)
	list("month.cli.already", res.Already)
	list("approval.range.skipped", res.Skipped)
	if res.Stopped != nil {
		say("", i18n.M("approval.range.stopped", "month", res.StoppedAt))
		say("  ", apperr.MsgOf(res.Stopped))
		if approval.FlagsUnconfirmed(res.Stopped) {
			say("  ", i18n.M("approval.range.confirm_hint"))
		}
		return errRejected
	}
	return nil
}

// monthRange reads "2025-09..2026-10" or a single month.
func monthRange(s string) (month.Month, month.Month, error) {
	a, b, isRange := strings.Cut(s, "..")
	if !isRange {
		b = a
	}
	from, err := month.Parse(strings.TrimSpace(a))
	if err != nil {
		return 0, 0, apperr.New(apperr.Invalid, "month.cli.bad_month", "value", a)
	}
	to, err := month.Parse(strings.TrimSpace(b))
	if err != nil {
		return 0, 0, apperr.New(apperr.Invalid, "month.cli.bad_month", "value", b)
	}
	if from > to {
		return 0, 0, apperr.New(apperr.Invalid, "approval.range.backwards", "from", from, "to", to)
	}
	return from, to, nil
}
