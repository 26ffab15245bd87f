package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"hrx/internal/db/dbtest"
)

// lockedBuffer is a log the server writes from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// sentReader closes sent once the whole body has been read (sent to the server).
type sentReader struct {
	r    io.Reader
	sent chan struct{}
	once sync.Once
}

func (s *sentReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err == io.EOF {
		s.once.Do(func() { close(s.sent) })
	}
	return n, err
}

// TestShutdownWithUploadInFlight: hrx serve told to stop (its context
// cancelled, as SIGTERM does) while an upload is being staged and applied
// through the API either finishes it (the answer arrives, the figures are
// there) or, when the shutdown timeout passes first, leaves nothing of it:
// no import, no figure, no audit entry. Never half.
func TestShutdownWithUploadInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 100,000 rows to a running server")
	}
	for _, c := range []struct {
		name, timeout string
		finishes      bool
	}{
		{"finishes within the timeout", "2m", true},
		{"cancelled after the timeout", "300ms", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dsn := dbtest.DSN(t)
			const pw = "a long enough passphrase for tests"
			if code, out, errOut := run(t, dsn, pw+"\n", false, "user", "add", "--email", "editor@example.gov.in", "--role", "editor"); code != 0 {
				t.Fatalf("user add: %d %s %s", code, out, errOut)
			}
			code, out, errOut := run(t, dsn, "", false, "token", "add", "--email", "editor@example.gov.in", "--name", "shutdown test")
			token := regexp.MustCompile(`hrx_[A-Za-z0-9_-]+`).FindString(out)
			if code != 0 || token == "" {
				t.Fatalf("token add: %d %s %s", code, out, errOut)
			}
			d := open(t, dsn)
			var entriesBefore int64
			d.R.Raw("SELECT COUNT(*) FROM audit_log").Scan(&entriesBefore)

			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			ctx, stop := context.WithCancel(context.Background())
			defer stop()
			logs := &lockedBuffer{}
			env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs, Getenv: func(k string) string {
				return map[string]string{"HRX_DATABASE_URL": dsn, "HRX_ADDR": addr, "HRX_SHUTDOWN_TIMEOUT": c.timeout}[k]
			}}
			served := make(chan int, 1)
			go func() { served <- RunWith(ctx, env, []string{"serve"}) }()
			base := "http://" + addr
			for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
				if resp, err := http.Get(base + "/healthz"); err == nil {
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						break
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("hrx serve did not start:\n%s", logs)
				}
			}

			const rows = 100_000
			body := &sentReader{r: bytes.NewReader(generatedCSV(rows)), sent: make(chan struct{})}
			req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/imports", body)
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "text/csv")
			type answer struct {
				status int
				body   string
				err    error
				at     time.Time
			}
			answered := make(chan answer, 1)
			go func() {
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					answered <- answer{err: err, at: time.Now()}
					return
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				answered <- answer{status: resp.StatusCode, body: string(b), err: err, at: time.Now()}
			}()
			<-body.sent
			time.Sleep(200 * time.Millisecond) // the server is reading and checking the file
			stoppedAt := time.Now()
			stop()
			a := <-answered
			select {
			case code := <-served:
				if code != 0 {
					t.Fatalf("hrx serve exited %d:\n%s", code, logs)
				}
			case <-time.After(3 * time.Minute):
				t.Fatalf("hrx serve did not stop:\n%s", logs)
			}
			if !a.at.After(stoppedAt) {
				t.Fatal("the upload was answered before the server was told to stop; the test needs a larger file")
			}

			var imps, figs, applied, entries int64
			d.R.Raw("SELECT COUNT(*) FROM imports").Scan(&imps)
			d.R.Raw("SELECT COUNT(*) FROM figures").Scan(&figs)
			d.R.Raw("SELECT COUNT(*) FROM imports WHERE state = 'applied'").Scan(&applied)
			d.R.Raw("SELECT COUNT(*) FROM audit_log").Scan(&entries)
			var applyEntries int64
			d.R.Raw("SELECT COUNT(*) FROM audit_log WHERE entity = 'import' AND action = 'apply'").Scan(&applyEntries)
			if c.finishes {
				if a.err != nil || a.status != http.StatusOK || !strings.Contains(a.body, fmt.Sprintf(`"new":%d`, rows)) || !strings.Contains(a.body, `"applied":true`) {
					t.Fatalf("the upload in flight at shutdown: %d %v %.300s", a.status, a.err, a.body)
				}
				if imps != 1 || applied != 1 || figs != rows || applyEntries != 1 || entries <= entriesBefore {
					t.Errorf("after the upload finished: %d imports (%d applied), %d figures, %d audit entries (%d before, %d of the apply)", imps, applied, figs, entries, entriesBefore, applyEntries)
				}
				return
			}
			if a.err == nil && a.status == http.StatusOK {
				t.Fatalf("the upload finished within %s; the test needs a larger file: %.200s", c.timeout, a.body)
			}
			if imps != 0 || figs != 0 || entries != entriesBefore {
				t.Errorf("a cancelled upload left %d imports, %d figures and %d audit entries (%d before)", imps, figs, entries, entriesBefore)
			}
			if !strings.Contains(logs.String(), "cancelling them") {
				t.Errorf("the log does not say the requests were cancelled:\n%s", logs)
			}
		})
	}
}
