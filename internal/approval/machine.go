// Package approval moves months through open → submitted → published, says
// whether a month's figures may change (CheckOpen, which every writer of
// figures calls in its transaction), checks a month before it is published,
// and has the figures it is given take the snapshot the public reads.
package approval

import (
	"slices"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/users"
)

// Action moves a month from one state to another.
type Action string

// The actions of the workflow.
const (
	Submit  Action = "submit"  // an editor says the month is ready for review
	Publish Action = "publish" // an approver makes a submitted month public
	Return  Action = "return"  // an approver sends a submitted month back, with a comment
	Reopen  Action = "reopen"  // an approver reopens a published month, with a reason
	// NothingToReport publishes a month that has no figures, saying so with a
	// reason: the public sees "no figures reported" for it, never a zero.
	NothingToReport Action = "nothing_to_report"
)

// Actions lists every action in workflow order.
var Actions = []Action{Submit, Publish, Return, Reopen, NothingToReport}

// States lists every state in workflow order.
var States = []string{Open, Submitted, Published}

// transition is one allowed move: from which states, to which, and the least role.
type transition struct {
	from  []string
	to    string
	role  users.Role
	needs string // what a person must write: "" for nothing
}

var machine = map[Action]transition{
	Submit:  {[]string{Open}, Submitted, users.Editor, ""},
	Publish: {[]string{Submitted}, Published, users.Approver, ""},
	Return:  {[]string{Submitted}, Open, users.Approver, "comment"},
	Reopen:  {[]string{Published}, Open, users.Approver, "reason"},
	// Nothing to submit: an empty month may be declared from open as well.
	NothingToReport: {[]string{Open, Submitted}, Published, users.Approver, "nothing"},
}

// Decide is the state machine: nil when a person with role may take the action
// on a month in state, else the refusal with the exact words: an
// apperr.Forbidden error when the person's role is not enough, an
// apperr.Conflict error when the month's state does not allow it. The role is
// checked first: a person who may never take the action is told so whatever
// the state.
func Decide(m month.Month, state string, a Action, role users.Role) error {
	t, ok := machine[a]
	if !ok {
		return apperr.New(apperr.Invalid, "approval.no_such_action", "action", string(a))
	}
	refused := func(reason string) i18n.Msg {
		return i18n.M("approval.refused", "month", m, "reason", i18n.M(reason))
	}
	if !role.AtLeast(t.role) {
		return &apperr.Error{Kind: apperr.Forbidden, Msg: refused("approval.role." + string(a))}
	}
	if !slices.Contains(t.from, state) {
		return &apperr.Error{Kind: apperr.Conflict, Msg: refused("approval.state." + string(a) + "." + state)}
	}
	return nil
}

// Next is the state an action leads to.
func Next(a Action) string { return machine[a].to }

// publishes reports whether the action makes the month public.
func publishes(a Action) bool { return a == Publish || a == NothingToReport }
