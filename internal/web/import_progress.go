package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"hrx/internal/i18n"
	"hrx/internal/imports"
)

// A long upload shows its progress. The upload page's script sends the form
// itself, asking for text/event-stream; the answer to that same request is a
// stream of events while the file is read and checked, then the preview's
// address. Being one request, it works behind a load balancer as it does on
// one machine, and cancelling it (the page's Cancel button, or leaving the
// page) ends the request: the staging transaction rolls back, so nothing of
// the file is kept, and the import slot is given back. Without the script,
// the form posts as a plain page and the browser waits for the preview.

// wantsProgress reports whether the upload asked to be answered with progress events.
func wantsProgress(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/event-stream")
}

// progressEvent is one event of the stream: what to show, and for the last
// one where the preview is.
type progressEvent struct {
	Text    string `json:"text"`
	Rows    int64  `json:"rows"`
	Percent int    `json:"percent"` // -1 when unknown
	URL     string `json:"url,omitempty"`
}

// progressText says how far reading the file got, in the reader's words.
func progressText(l i18n.Locale, p imports.Progress) string {
	switch pc := p.Percent(); {
	case p.Done:
		return l.Tr(i18n.M("uploads.progress.saving", "count", p.Rows, "rows", p.Rows))
	case pc >= 0:
		return l.Tr(i18n.M("uploads.progress.checking_percent", "count", p.Rows, "rows", p.Rows, "percent", pc))
	default:
		return l.Tr(i18n.M("uploads.progress.checking", "count", p.Rows, "rows", p.Rows))
	}
}

// stageWithProgress stages up, sending progress events down the response
// as it goes; see wantsProgress. Once the stream has started, a refusal (the
// server busy, the request cancelled) is an event too, never an error page.
func (s *Server) stageWithProgress(c echo.Context, up imports.Upload) error {
	ctx := c.Request().Context()
	l := s.localeOf(c)
	w := c.Response()
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set("X-Accel-Buffering", "no") // a proxy in front must not hold the events back
	w.WriteHeader(http.StatusOK)
	var mu sync.Mutex // Stage reports from the goroutine that reads the file
	send := func(event string, e progressEvent) {
		mu.Lock()
		defer mu.Unlock()
		b, _ := json.Marshal(e)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b)
		w.Flush()
	}
	up.Progress = func(p imports.Progress) {
		send("progress", progressEvent{Text: progressText(l, p), Rows: p.Rows, Percent: p.Percent()})
	}
	send("progress", progressEvent{Text: progressText(l, imports.Progress{}), Percent: -1})
	im, err := s.imports.Stage(ctx, currentUser(c).Actor(), up)
	switch {
	case err != nil && ctx.Err() != nil:
		// Cancelled: nobody is listening, and nothing was kept.
		return nil
	case err != nil:
		status, msg := answerOf(err, c)
		if status == http.StatusInternalServerError {
			s.log.Error("request failed", "id", reqID(c), "path", c.Request().URL.Path, "err", err)
		}
		send("failed", progressEvent{Text: l.Tr(i18n.M("uploads.progress.failed", "reason", msg)), Percent: -1})
		return nil
	}
	send("done", progressEvent{Text: l.Tr(i18n.M("uploads.progress.done")), Rows: im.RowCount, Percent: 100, URL: fmt.Sprintf("/imports/%d", im.ID)})
	return nil
}
