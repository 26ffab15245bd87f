package readmecheck

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hrx/internal/db/dbtest"
)

// readmeAddr is the address README.md's examples use; the test's server
// listens elsewhere and commands are rewritten to reach it, while the
// server's HRX_BASE_URL keeps the README's address in what it prints.
const readmeAddr = "localhost:8080"

// TestREADME runs every shell example of README.md, in order, against a fresh
// database (SQLite, or PostgreSQL with HRX_TEST_POSTGRES_URL) and an hrx
// serve on loopback, and compares what each command prints with what the
// README shows.
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: README.md's examples build and run hrx")
	}
	for _, tool := range []string{"bash", "curl", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("README.md's examples need %s: %v", tool, err)
		}
	}
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := Parse(string(raw))
	if err != nil {
		t.Fatal(err)
	}

	started := time.Now()
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "hrx"), "./cmd/hrx")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/hrx: %v\n%s", err, out)
	}
	built := time.Now()
	work := t.TempDir()
	env := []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + work,
		"TZ=UTC",
		"LANG=C.UTF-8",
		"HRX_DATABASE_URL=" + dbtest.DSN(t),
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k == "GOCACHE" || k == "GOPATH" || k == "GOROOT" || k == "GOFLAGS" {
			env = append(env, kv)
		}
	}

	// curl as in a terminal: no progress meter when its output is not one.
	if err := os.WriteFile(filepath.Join(work, ".curlrc"), []byte("--silent\n--show-error\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	server := ""
	rewrite := func(s string) string { return strings.ReplaceAll(s, readmeAddr, server) }
	run, skipped := 0, 0
	for _, b := range blocks {
		if b.Skip != "" {
			skipped++
			t.Logf("README.md line %d: skipped: %s", b.Line, b.Skip)
			continue
		}
		for _, c := range b.Commands {
			if server == "" && strings.Contains(c.Text, readmeAddr) {
				server = startServer(t, ctx, bin, work, env)
			}
		}
		res, err := Run(ctx, work, env, b.Commands, rewrite)
		for k, r := range res {
			c := b.Commands[k]
			run++
			if err := Match(c.Want, r.Out); err != nil {
				t.Errorf("README.md line %d: $ %s\n(exit status %d) %v", c.Line, c.Text, r.Status, err)
			}
		}
		if err != nil {
			t.Errorf("README.md line %d: %v", b.Line, err)
		}
	}
	t.Logf("README.md: %d commands run, %d blocks skipped; building hrx took %s, the examples %s",
		run, skipped, built.Sub(started).Round(time.Second), time.Since(built).Round(time.Second))
	if run == 0 {
		t.Error("README.md has no example to run")
	}
}

// startServer starts hrx serve on a free loopback port, with the README's
// address as its public one, and returns the address it listens on once it
// is ready.
func startServer(t *testing.T, ctx context.Context, bin, work string, env []string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	logPath := filepath.Join(t.TempDir(), "serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(bin, "hrx"), "serve", "--addr", addr)
	cmd.Dir = work
	cmd.Env = append(env, "HRX_BASE_URL=http://"+readmeAddr)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		logFile.Close()
	})
	for {
		select {
		case err := <-done:
			done <- err // for the clean-up
			log, _ := os.ReadFile(logPath)
			t.Fatalf("hrx serve stopped: %v\n%s", err, log)
		case <-ctx.Done():
			t.Fatal("hrx serve did not get ready")
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(fmt.Sprintf("http://%s/readyz", addr))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return addr
			}
		}
	}
}
