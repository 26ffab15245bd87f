// Package apperr holds the errors that domain packages return and the web layer maps to responses.
package apperr

import (
	"errors"
	"strings"
	"time"
)

// ErrNotFound means the thing asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrForbidden means the person may not do this.
var ErrForbidden = errors.New("not allowed")

// FieldError is one field's problem, in words a person can act on.
type FieldError struct {
	Field   string // the form field's name (and HTML id)
	Label   string // what the person sees the field called
	Message string
}

// ValidationError lists every field that is wrong; nothing was saved.
type ValidationError struct {
	Fields []FieldError
}

// Add records a problem with a field.
func (v *ValidationError) Add(field, label, message string) {
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

// For returns the message for a field, or "".
func (v *ValidationError) For(field string) string {
	for _, f := range v.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

func (v *ValidationError) Error() string {
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.Label + ": " + f.Message
	}
	return strings.Join(parts, "; ")
}

// ConflictError means someone else changed the data first; nothing was saved.
type ConflictError struct {
	Message string
}

func (c *ConflictError) Error() string { return c.Message }

// ErrBusy means the server is already doing as much of this as it safely can;
// the same request later will work. errors.Is(err, ErrBusy) holds for a *BusyError.
var ErrBusy = errors.New("busy")

// BusyError is ErrBusy with the words for the person and when to try again.
type BusyError struct {
	Message    string
	RetryAfter time.Duration
}

func (b *BusyError) Error() string { return b.Message }

// Is makes errors.Is(err, ErrBusy) true.
func (b *BusyError) Is(target error) bool { return target == ErrBusy }
