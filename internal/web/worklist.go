package web

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/bodies"
	"hrx/internal/dataversion"
	"hrx/internal/i18n"
	"hrx/internal/users"
	"hrx/internal/worklist"
)

// workNav is what needs the signed-in person's action: the count the
// navigation shows on every page, and the list at the top of the start
// page, read only when a page shows it.
type workNav struct {
	Count int
	More  int // items left off the start page's list (read after Items)
	load  func() ([]workItem, error)
	items []workItem
	done  bool
}

// workShown is the most items the start page lists; the rest are counted.
const workShown = 15

// Items is the list, in the reader's words: the first workShown items.
func (w *workNav) Items() ([]workItem, error) {
	if !w.done {
		items, err := w.load()
		if err != nil {
			return nil, err
		}
		if len(items) > workShown {
			w.More, items = len(items)-workShown, items[:workShown]
		}
		w.items, w.done = items, true
	}
	return w.items, nil
}

// workItem is one thing to do as the page shows it.
type workItem struct {
	Kind   string // worklist.Kind, for the page's styles
	Tag    string // "Overdue", "Sent back" …
	Text   string
	Action string // the link's words
	Link   string
}

// workNav reads the person's count (the months part kept per data version,
// person and day, so a page costs two small queries) and prepares the list.
// A failure to count is logged and shows no count: it must not take every
// page down.
func (s *Server) workNav(c echo.Context, u *users.User, l i18n.Locale) *workNav {
	if u == nil || u.Disabled {
		return nil
	}
	ctx := c.Request().Context()
	st := worklist.NewStore(s.db)
	now := time.Now()
	w := &workNav{load: func() ([]workItem, error) {
		items, err := st.For(ctx, *u, now)
		if err != nil {
			return nil, err
		}
		out := make([]workItem, len(items))
		for i, it := range items {
			out[i] = workItemOf(l, it)
		}
		return out, nil
	}}
	count := func() (int, error) {
		v, err := dataversion.Current(ctx, s.db)
		if err != nil {
			return 0, err
		}
		p, err := s.cache.get(v, "work|"+worklist.CountKey(*u, now), func() (cached, error) {
			n, err := st.MonthsCount(ctx, *u, now)
			return cached{Body: []byte(strconv.Itoa(n))}, err
		})
		if err != nil {
			return 0, err
		}
		n, _ := strconv.Atoi(string(p.Body))
		r, err := st.RejectedCount(ctx, *u, now)
		return n + r, err
	}
	n, err := count()
	if err != nil {
		s.log.Error("counting the worklist", "err", err, "user", u.ID)
	}
	w.Count = n
	return w
}

// workItemOf writes one item in the reader's words, with the link that does it.
func workItemOf(l i18n.Locale, it worklist.Item) workItem {
	w := workItem{Kind: string(it.Kind), Tag: l.Tr(i18n.M("worklist." + string(it.Kind) + "_tag"))}
	monthLink := "/months/" + it.Month.String()
	switch it.Kind {
	case worklist.Returned:
		w.Text = l.Tr(i18n.M("worklist.returned", "month", it.Month, "who", it.Actor, "when", it.At, "comment", it.Comment))
		if it.Comment == "" {
			w.Text = l.Tr(i18n.M("worklist.returned_plain", "month", it.Month, "who", it.Actor, "when", it.At))
		}
		w.Action, w.Link = l.Tr(i18n.M("worklist.action.returned", "month", it.Month)), monthLink
	case worklist.Overdue, worklist.Due:
		w.Text = l.Tr(i18n.M("worklist."+string(it.Kind), "month", it.Month, "body", it.Body.NameMsg(l.Lang), "due", bodiesDueDay(it), "count", it.Missing))
		w.Action, w.Link = l.Tr(i18n.M("worklist.action.due", "month", it.Month)), monthLink
	case worklist.Review:
		w.Text = l.Tr(i18n.M("worklist.review", "month", it.Month, "who", it.Actor, "when", it.At))
		w.Action, w.Link = l.Tr(i18n.M("worklist.action.review", "month", it.Month)), monthLink
	case worklist.Rejected:
		w.Text = l.Tr(i18n.M("worklist.rejected", "file", it.FileName, "when", it.At, "count", it.Errors))
		w.Action, w.Link = l.Tr(i18n.M("worklist.action.rejected", "file", it.FileName)), "/imports/"+strconv.FormatInt(it.ImportID, 10)
	}
	return w
}

// bodiesDueDay is the calendar day an item's month is due on.
func bodiesDueDay(it worklist.Item) i18n.Msg { return bodies.DueDay(it.Body.DueDay, it.Month) }
