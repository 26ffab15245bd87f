// Package approval moves months through open → submitted → published, checks
// a month before it is published, and takes the snapshot the public reads.
package approval

import (
	"fmt"

	"hrx/internal/figures"
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
)

// Actions lists every action in workflow order.
var Actions = []Action{Submit, Publish, Return, Reopen}

// States lists every state in workflow order.
var States = []string{figures.Open, figures.Submitted, figures.Published}

// transition is one allowed move: from which state, to which, and the least role.
type transition struct {
	from, to string
	role     users.Role
	needs    string // what a person must write: "" for nothing
}

var machine = map[Action]transition{
	Submit:  {figures.Open, figures.Submitted, users.Editor, ""},
	Publish: {figures.Submitted, figures.Published, users.Approver, ""},
	Return:  {figures.Submitted, figures.Open, users.Approver, "comment"},
	Reopen:  {figures.Published, figures.Open, users.Approver, "reason"},
}

// Refusal says why a person may not take an action on a month, in words they can act on.
type Refusal struct {
	Month     string
	Message   string
	Forbidden bool // the person's role is not enough (as opposed to the month's state)
}

func (r *Refusal) Error() string { return r.Month + ": " + r.Message }

// roleWords says who may take each action.
var roleWords = map[Action]string{
	Submit:  "Only an editor, approver or admin can submit a month for review",
	Publish: "Only an approver or admin can publish a month",
	Return:  "Only an approver or admin can send a month back to open",
	Reopen:  "Only an approver or admin can reopen a published month",
}

// stateWords says why an action does not fit a month's state.
var stateWords = map[Action]map[string]string{
	Submit: {
		figures.Submitted: "It is already submitted for review",
		figures.Published: "It is published; an approver must reopen it before it can be submitted again",
	},
	Publish: {
		figures.Open:      "It is open; an editor must submit it for review before it can be published",
		figures.Published: "It is already published",
	},
	Return: {
		figures.Open:      "It is already open",
		figures.Published: "It is published; reopen it instead, giving a reason",
	},
	Reopen: {
		figures.Open:      "It is already open",
		figures.Submitted: "It is submitted, not published; send it back to open instead",
	},
}

// Decide is the state machine: nil when a person with role may take the action
// on a month in state, else a *Refusal with the exact words. The role is
// checked first: a person who may never take the action is told so whatever
// the state.
func Decide(m, state string, a Action, role users.Role) error {
	t, ok := machine[a]
	if !ok {
		return &Refusal{Month: m, Message: fmt.Sprintf("%q is not something that can be done to a month", a)}
	}
	if !role.AtLeast(t.role) {
		return &Refusal{Month: m, Message: roleWords[a], Forbidden: true}
	}
	if state != t.from {
		return &Refusal{Month: m, Message: stateWords[a][state]}
	}
	return nil
}

// Next is the state an action leads to.
func Next(a Action) string { return machine[a].to }
