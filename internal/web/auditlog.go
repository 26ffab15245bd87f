package web

import (
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
	"hrx/internal/exports"
	"hrx/internal/month"
)

type auditPage struct {
	Page
	Entries  []audit.Entry
	Entities []string
	F        auditForm
	Older    string // the link to the next page, "" on the last
	Query    string // the filters as a query string, for the CSV link
}

// auditForm is the filter form, as typed.
type auditForm struct {
	Entity, Month, Actor, From, To string
}

// auditFilter reads the filters, naming any that cannot be understood.
func auditFilter(c echo.Context) (audit.Filter, auditForm, *apperr.ValidationError) {
	form := auditForm{Entity: c.QueryParam("kind"), Month: strings.TrimSpace(c.QueryParam("month")), Actor: strings.TrimSpace(c.QueryParam("person")),
		From: c.QueryParam("from"), To: c.QueryParam("to")}
	f := audit.Filter{Entity: form.Entity, Actor: form.Actor}
	v := &apperr.ValidationError{}
	if form.Month != "" {
		if m, err := month.Parse(form.Month); err != nil {
			v.Add("month", "Month", "Enter a month as YYYY-MM, for example 2025-09")
		} else {
			f.Month = m.String()
		}
	}
	for _, d := range []struct {
		field, label, value string
		dst                 *time.Time
		add                 time.Duration
	}{{"from", "From", form.From, &f.From, 0}, {"to", "To", form.To, &f.To, 24 * time.Hour}} {
		if d.value == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", d.value)
		if err != nil {
			v.Add(d.field, d.label, "Enter a date as YYYY-MM-DD, for example 2025-10-01")
			continue
		}
		*d.dst = t.Add(d.add)
	}
	f.BeforeID, _ = strconv.ParseInt(c.QueryParam("before"), 10, 64)
	return f, form, v
}

// auditLog lists every change, newest first, with filters.
func (s *Server) auditLog(c echo.Context) error {
	f, form, v := auditFilter(c)
	p := auditPage{Page: s.page(c, "Audit log"), F: form}
	ctx := c.Request().Context()
	var err error
	if p.Entities, err = s.audit.Entities(ctx); err != nil {
		return err
	}
	if !v.Empty() {
		p.Errors = v
		return c.Render(http.StatusUnprocessableEntity, "audit", p)
	}
	const pageSize = 100
	f.Limit = pageSize
	if p.Entries, err = s.audit.List(ctx, f); err != nil {
		return err
	}
	q := c.QueryParams()
	q.Del("before")
	p.Query = q.Encode()
	if len(p.Entries) == pageSize {
		q.Set("before", strconv.FormatInt(p.Entries[len(p.Entries)-1].ID, 10))
		p.Older = "/audit?" + q.Encode()
	}
	return c.Render(http.StatusOK, "audit", p)
}

// auditCSV downloads the filtered log.
func (s *Server) auditCSV(c echo.Context) error {
	f, _, v := auditFilter(c)
	if !v.Empty() {
		return echo.NewHTTPError(http.StatusBadRequest, v.Error())
	}
	attachment(c, "text/csv; charset=utf-8", "hrx-audit.csv")
	c.Response().WriteHeader(http.StatusOK)
	io.WriteString(c.Response(), exports.BOM)
	w := csv.NewWriter(c.Response())
	w.UseCRLF = true
	w.Write([]string{"id", "at", "person", "action", "kind", "key", "month", "before", "after", "reason"})
	err := s.audit.Each(c.Request().Context(), f, func(e audit.Entry) error {
		return w.Write([]string{fmt.Sprint(e.ID), e.At.UTC().Format(time.RFC3339), exports.SafeCell(e.Actor), e.Action, e.Entity,
			exports.SafeCell(e.EntityKey), e.Month, exports.SafeCell(e.Before), exports.SafeCell(e.After), exports.SafeCell(e.Reason)})
	})
	w.Flush()
	if err != nil {
		s.log.Error("writing the audit CSV", "id", c.Get("request_id"), "err", err)
	}
	return nil
}
