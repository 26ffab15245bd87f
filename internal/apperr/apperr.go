// Package apperr holds the errors that domain packages return and the edges
// (web pages, the JSON API, the command line) turn into answers: a few kinds,
// each with the message a person reads.
package apperr

import (
	"errors"
	"time"

	"hrx/internal/i18n"
)

// Kind says what sort of refusal an error is, which decides how each edge
// answers it (an HTTP status, an exit status).
type Kind uint8

// The kinds of refusal. Anything else is a failure on our side.
const (
	Internal  Kind = iota // not a refusal: something broke
	Invalid               // the input is wrong; nothing was saved
	NotFound              // the thing asked for does not exist
	Conflict              // someone else changed the data first, or it no longer applies
	Forbidden             // this person may not do this
	Locked                // the month (or thing) is closed to changes now
	TooLarge              // the input is over a size limit
	Busy                  // the server is doing all of this it can; try again later
)

// Error is a refusal with the words for the person.
type Error struct {
	Kind       Kind
	Msg        i18n.Msg
	RetryAfter time.Duration // for Busy: when to try again
	Err        error         // the cause, for logs
	sentinel   bool
}

// New returns a refusal of a kind with a catalog message.
func New(k Kind, id string, nameValues ...any) *Error {
	return &Error{Kind: k, Msg: i18n.M(id, nameValues...)}
}

// Error is the message in English, for logs.
func (e *Error) Error() string {
	if e.Msg.IsZero() {
		return e.Kind.String()
	}
	return e.Msg.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) (and the other kind sentinels) true
// for every error of that kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Kind == e.Kind
}

func (k Kind) String() string {
	return [...]string{"internal error", "invalid", "not found", "conflict", "forbidden", "locked", "too large", "busy"}[k]
}

// Sentinels for errors.Is: every *Error of the kind matches.
var (
	ErrNotFound  error = &Error{Kind: NotFound, Msg: i18n.M("error.not_found"), sentinel: true}
	ErrForbidden error = &Error{Kind: Forbidden, Msg: i18n.M("error.forbidden"), sentinel: true}
	ErrBusy      error = &Error{Kind: Busy, Msg: i18n.M("error.busy"), sentinel: true}
)

// KindOf is the kind of any error: Internal for those that are not refusals.
func KindOf(err error) Kind {
	var e *Error
	var v *ValidationError
	switch {
	case err == nil:
		return Internal
	case errors.As(err, &v):
		return Invalid
	case errors.As(err, &e):
		return e.Kind
	}
	return Internal
}

// MsgOf is the message of a refusal, zero for other errors.
func MsgOf(err error) i18n.Msg {
	var e *Error
	var v *ValidationError
	switch {
	case errors.As(err, &v):
		return v.Msg()
	case errors.As(err, &e):
		return e.Msg
	}
	return i18n.Msg{}
}

// FieldError is one field's problem, in words a person can act on.
type FieldError struct {
	Field   string   // the form field's name (and HTML id)
	Label   i18n.Msg // what the person sees the field called
	Message i18n.Msg
}

// ValidationError lists every field that is wrong; nothing was saved.
type ValidationError struct {
	Fields []FieldError
}

// AddMsg records a problem with a field.
func (v *ValidationError) AddMsg(field string, label, message i18n.Msg) {
	v.Fields = append(v.Fields, FieldError{Field: field, Label: label, Message: message})
}

// Empty reports whether no problem was found.
func (v *ValidationError) Empty() bool { return len(v.Fields) == 0 }

// Err returns v as an error, or nil when it holds nothing.
func (v *ValidationError) Err() error {
	if v.Empty() {
		return nil
	}
	return v
}

// For returns the message for a field (zero when it has none).
func (v *ValidationError) For(field string) i18n.Msg {
	for _, f := range v.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return i18n.Msg{}
}

// Msg is the whole list as one message: "Label: message; Label: message".
func (v *ValidationError) Msg() i18n.Msg {
	parts := make([]i18n.Msg, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = i18n.M("error.field", "label", f.Label, "message", f.Message)
	}
	return i18n.M("error.fields", "list", parts)
}

func (v *ValidationError) Error() string { return v.Msg().String() }
