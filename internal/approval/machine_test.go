package approval_test

import (
	"strings"
	"testing"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/users"
)

// TestMachine is the whole state machine: every state × every action × every
// role, with the exact words of each refusal ("" means allowed).
func TestMachine(t *testing.T) {
	const (
		ok          = ""
		submitRole  = "Only an editor, approver or admin can submit a month for review"
		publishRole = "Only an approver or admin can publish a month"
		returnRole  = "Only an approver or admin can send a month back to open"
		reopenRole  = "Only an approver or admin can reopen a published month"
		nothingRole = "Only an approver or admin can publish a month as “nothing to report”"
	)
	open, sub, pub := approval.Open, approval.Submitted, approval.Published
	type row struct {
		state  string
		action approval.Action
		want   [4]string // viewer, editor, approver, admin
	}
	tests := []row{
		{open, approval.Submit, [4]string{submitRole, ok, ok, ok}},
		{sub, approval.Submit, [4]string{submitRole, "It is already submitted for review", "It is already submitted for review", "It is already submitted for review"}},
		{pub, approval.Submit, [4]string{submitRole,
			"It is published; an approver must reopen it before it can be submitted again",
			"It is published; an approver must reopen it before it can be submitted again",
			"It is published; an approver must reopen it before it can be submitted again"}},

		{open, approval.Publish, [4]string{publishRole, publishRole,
			"It is open; an editor must submit it for review before it can be published",
			"It is open; an editor must submit it for review before it can be published"}},
		{sub, approval.Publish, [4]string{publishRole, publishRole, ok, ok}},
		{pub, approval.Publish, [4]string{publishRole, publishRole, "It is already published", "It is already published"}},

		{open, approval.Return, [4]string{returnRole, returnRole, "It is already open", "It is already open"}},
		{sub, approval.Return, [4]string{returnRole, returnRole, ok, ok}},
		{pub, approval.Return, [4]string{returnRole, returnRole,
			"It is published; reopen it instead, giving a reason",
			"It is published; reopen it instead, giving a reason"}},

		{open, approval.Reopen, [4]string{reopenRole, reopenRole, "It is already open", "It is already open"}},
		{sub, approval.Reopen, [4]string{reopenRole, reopenRole,
			"It is submitted, not published; send it back to open instead",
			"It is submitted, not published; send it back to open instead"}},
		{pub, approval.Reopen, [4]string{reopenRole, reopenRole, ok, ok}},

		// An empty month has nothing to submit: an approver may say so from open.
		{open, approval.NothingToReport, [4]string{nothingRole, nothingRole, ok, ok}},
		{sub, approval.NothingToReport, [4]string{nothingRole, nothingRole, ok, ok}},
		{pub, approval.NothingToReport, [4]string{nothingRole, nothingRole, "It is already published", "It is already published"}},
	}
	if len(tests) != len(approval.States)*len(approval.Actions) {
		t.Fatalf("the table has %d rows; every state × action needs one", len(tests))
	}
	for _, tt := range tests {
		for i, role := range users.Roles {
			err := approval.Decide(month.MustParse("2025-10"), tt.state, tt.action, role)
			got := ""
			if k := apperr.KindOf(err); k == apperr.Forbidden || k == apperr.Conflict {
				var found bool
				if got, found = strings.CutPrefix(err.Error(), "October 2025: "); !found {
					t.Errorf("%s %s by %s: refusal %q does not name the month", tt.action, tt.state, role, err)
				}
				if wantForbidden := got == tt.want[i] && (got == submitRole || got == publishRole || got == returnRole || got == reopenRole || got == nothingRole); (k == apperr.Forbidden) != wantForbidden {
					t.Errorf("%s %s by %s: kind %v", tt.action, tt.state, role, k)
				}
				for _, l := range []i18n.Lang{i18n.JA, i18n.HI} {
					if tr := i18n.New(l, "").Tr(apperr.MsgOf(err)); strings.Contains(tr, "approval.") || strings.Contains(tr, got) {
						t.Errorf("%s %s by %s in %s: %q", tt.action, tt.state, role, l, tr)
					}
				}
			} else if err != nil {
				t.Fatalf("%s %s by %s: %v is not a refusal", tt.action, tt.state, role, err)
			}
			if got != tt.want[i] {
				t.Errorf("%s on %s by %s: got %q, want %q", tt.action, tt.state, role, got, tt.want[i])
			}
			if got == ok && approval.Next(tt.action) == "" {
				t.Errorf("%s allowed but leads nowhere", tt.action)
			}
		}
	}
	if err := approval.Decide(month.MustParse("2025-10"), open, "delete", users.Admin); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("an unknown action: %v", err)
	}
}
