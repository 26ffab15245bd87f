package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is one `hrx serve` process on loopback. Every attack gets a fresh
// process (same database, same port, a new empty TMPDIR), so that memory left
// over by one attack is not the next one's baseline and a crash stays with the
// attack that caused it.
type server struct {
	bin, work, dbURL string
	port             int
	logFile          *os.File
	starts           int

	cmd     *exec.Cmd
	tmp     string
	exited  chan struct{}
	waitErr error
}

func newServer(bin, work, dbURL string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	lf, err := os.Create(filepath.Join(work, "server.log"))
	if err != nil {
		return nil, err
	}
	return &server{bin: bin, work: work, dbURL: dbURL, port: port, logFile: lf}, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (s *server) addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }
func (s *server) base() string { return "http://" + s.addr() }

// hrxEnv is the environment of every hrx command the suite runs: the
// caller's, without its own HRX_ settings, plus the suite's.
func hrxEnv(dbURL, tmp string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HRX_") && !strings.HasPrefix(kv, "TMPDIR=") {
			env = append(env, kv)
		}
	}
	env = append(env, "HRX_DATABASE_URL="+dbURL, "HRX_MAX_UPLOAD_MB="+strconv.Itoa(maxUploadMB), "TMPDIR="+tmp)
	return append(env, extra...)
}

// start runs `hrx serve` and waits until /readyz answers 200.
func (s *server) start(ctx context.Context) error {
	s.starts++
	s.tmp = filepath.Join(s.work, fmt.Sprintf("tmp-%02d", s.starts))
	if err := os.MkdirAll(s.tmp, 0o700); err != nil {
		return err
	}
	fmt.Fprintf(s.logFile, "\n==== start %d\n", s.starts)
	cmd := exec.Command(s.bin, "serve", "--addr", s.addr())
	cmd.Env = hrxEnv(s.dbURL, s.tmp, "HRX_BASE_URL="+s.base(), "HRX_TRUSTED_PROXIES=127.0.0.1", "HRX_LOG_FORMAT=text")
	cmd.Stdout, cmd.Stderr = s.logFile, s.logFile
	if err := cmd.Start(); err != nil {
		return err
	}
	s.cmd, s.exited, s.waitErr = cmd, make(chan struct{}), nil
	go func() { s.waitErr = cmd.Wait(); close(s.exited) }()

	c := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("hrx serve exited at start (%v); see %s", s.waitErr, s.logFile.Name())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if resp, err := c.Get(s.base() + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	s.kill()
	return fmt.Errorf("hrx serve did not answer /readyz with 200 within 30 s; see %s", s.logFile.Name())
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// crashed says how the process ended when it ended on its own, "" while it runs.
func (s *server) crashed() string {
	select {
	case <-s.exited:
		return fmt.Sprintf("hrx serve exited during the attack (%v)", s.waitErr)
	default:
		return ""
	}
}

// stop ends the process (SIGTERM, then SIGKILL after two seconds: an attack may
// have left a request running that graceful shutdown would wait for) and
// removes its TMPDIR.
func (s *server) stop() {
	if s.cmd == nil {
		return
	}
	select {
	case <-s.exited:
	default:
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(2 * time.Second):
			s.kill()
		}
	}
	s.cmd = nil
	os.RemoveAll(s.tmp)
}

func (s *server) kill() {
	s.cmd.Process.Kill()
	<-s.exited
}

// runHRX runs an hrx command on the suite's database, with stdin, and returns its output.
func runHRX(ctx context.Context, bin, dbURL, tmp, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = hrxEnv(dbURL, tmp)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("exit status %d", ee.ExitCode())
		}
		return string(out), fmt.Errorf("hrx %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}
