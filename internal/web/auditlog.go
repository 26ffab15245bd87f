package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/upload"
)

type auditPage struct {
	Page
	Entries  []auditRow
	Entities []auditKind
	F        auditForm
	Older    string // the link to the next page, "" on the last
	Query    string // the filters as a query string, for the CSV link
}

// auditRow is one entry as the log shows it: the record, and in the
// reader's words what happened and why.
type auditRow struct {
	audit.Entry
	What string // what happened
	Why  string // the reason, the product's own translated
	// Verbatim marks a reason in someone's own words (a comment, a file
	// name), kept as written rather than translated.
	Verbatim bool
}

// auditKind is one choice of the kind filter.
type auditKind struct {
	Code, Name string
}

// auditForm is the filter form, as typed.
type auditForm struct {
	Entity, Month, Actor, From, To string
}

// auditFilter reads the filters, naming any that cannot be understood. Dates
// are days in the reader's time zone.
func auditFilter(c echo.Context, zone *time.Location) (audit.Filter, auditForm, *apperr.ValidationError) {
	form := auditForm{Entity: c.QueryParam("kind"), Month: strings.TrimSpace(c.QueryParam("month")), Actor: strings.TrimSpace(c.QueryParam("person")),
		From: c.QueryParam("from"), To: c.QueryParam("to")}
	f := audit.Filter{Entity: form.Entity, Actor: form.Actor}
	v := &apperr.ValidationError{}
	if form.Month != "" {
		if m, err := month.Parse(form.Month); err != nil {
			v.AddMsg("month", i18n.M("audit.filter.month"), i18n.M("audit.error.month"))
		} else {
			f.Month = m.String()
		}
	}
	for _, d := range []struct {
		field, value string
		dst          *time.Time
		days         int
	}{{"from", form.From, &f.From, 0}, {"to", form.To, &f.To, 1}} {
		if d.value == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", d.value, zone)
		if err != nil {
			v.AddMsg(d.field, i18n.M("audit.filter."+d.field), i18n.M("audit.error.date"))
			continue
		}
		*d.dst = t.AddDate(0, 0, d.days)
	}
	f.BeforeID, _ = strconv.ParseInt(c.QueryParam("before"), 10, 64)
	return f, form, v
}

// auditNames are the reference lists' names in the reader's language, for
// the sentences of the log.
func (s *Server) auditNames(ctx context.Context, l i18n.Locale) (audit.Names, error) {
	cats, err := s.ref.Categories(ctx)
	if err != nil {
		return audit.Names{}, err
	}
	byCode := make(map[string]string, len(cats))
	for _, c := range cats {
		byCode[c.Code] = c.Name(l.Lang)
	}
	return audit.Names{Lang: l.Lang, Category: func(code string) string { return byCode[code] }, Direction: reference.DirectionMsg}, nil
}

// auditLog lists every change, newest first, with filters.
func (s *Server) auditLog(c echo.Context) error {
	p := auditPage{Page: s.page(c, "")}
	p.Title = p.L.Tr(i18n.M("audit.title"))
	f, form, v := auditFilter(c, p.L.Zone())
	p.F = form
	ctx := c.Request().Context()
	entities, err := s.audit.Entities(ctx)
	if err != nil {
		return err
	}
	for _, e := range entities {
		p.Entities = append(p.Entities, auditKind{Code: e, Name: p.L.Tr(audit.EntityMsg(e))})
	}
	if !v.Empty() {
		p.Errors = v
		return c.Render(http.StatusUnprocessableEntity, "audit", p)
	}
	const pageSize = 100
	f.Limit = pageSize
	entries, err := s.audit.List(ctx, f)
	if err != nil {
		return err
	}
	names, err := s.auditNames(ctx, p.L)
	if err != nil {
		return err
	}
	for _, e := range entries {
		why := audit.ReasonMsg(e)
		p.Entries = append(p.Entries, auditRow{Entry: e, What: p.L.Tr(audit.Describe(e, names)), Why: p.L.Tr(why), Verbatim: why.ID == ""})
	}
	q := c.QueryParams()
	q.Del("before")
	p.Query = q.Encode()
	if len(entries) == pageSize {
		q.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		p.Older = "/audit?" + q.Encode()
	}
	return c.Render(http.StatusOK, "audit", p)
}

// auditCSV downloads the filtered log: the record as it is, times in UTC,
// and a last column saying in the reader's language what happened.
func (s *Server) auditCSV(c echo.Context) error {
	l, ok := c.Get("locale").(i18n.Locale)
	if !ok {
		l = s.localeOf(c)
	}
	f, _, v := auditFilter(c, l.Zone())
	if !v.Empty() {
		return echo.NewHTTPError(http.StatusBadRequest, v.Msg())
	}
	ctx := c.Request().Context()
	names, err := s.auditNames(ctx, l)
	if err != nil {
		return err
	}
	attachment(c, "text/csv; charset=utf-8", "hrx-audit.csv")
	c.Response().WriteHeader(http.StatusOK)
	io.WriteString(c.Response(), upload.BOM)
	w := csv.NewWriter(c.Response())
	w.UseCRLF = true
	w.Write([]string{"id", "at", "person", "action", "kind", "key", "month", "before", "after", "reason", "what"})
	err = s.audit.Each(ctx, f, func(e audit.Entry) error {
		return w.Write([]string{fmt.Sprint(e.ID), e.At.UTC().Format(time.RFC3339), upload.SafeCell(e.Actor), e.Action, e.Entity,
			upload.SafeCell(e.EntityKey), e.Month, upload.SafeCell(e.Before), upload.SafeCell(e.After), upload.SafeCell(e.Reason),
			upload.SafeCell(l.Tr(audit.Describe(e, names)))})
	})
	w.Flush()
	if err != nil {
		s.log.Error("writing the audit CSV", "id", reqID(c), "err", err)
	}
	return nil
}
