package readmecheck

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// A Result is what one command printed and its exit status.
type Result struct {
	Out    string
	Status int
}

// Run runs a block's commands in order in one bash, in dir with env, so that
// a command sees the files and variables of the ones before it. rewrite
// turns a command as the README shows it into the one run (the README's
// address into the test server's). Output is standard output and standard
// error together, as a terminal shows them.
func Run(ctx context.Context, dir string, env []string, cmds []Command, rewrite func(string) string) ([]Result, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	sep := "@@readme-check-" + hex.EncodeToString(b) + "@@"
	var script strings.Builder
	for _, c := range cmds {
		script.WriteString(rewrite(c.Text))
		fmt.Fprintf(&script, "\nprintf '\\n%s %%d\\n' \"$?\"\n", sep)
	}
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-c", script.String())
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	parts := strings.Split(out.String(), "\n"+sep+" ")
	var res []Result
	for k, p := range parts[:len(parts)-1] {
		if k > 0 {
			status, rest, _ := strings.Cut(p, "\n")
			res[k-1].Status, _ = strconv.Atoi(status)
			p = rest
		}
		res = append(res, Result{Out: p})
	}
	if n := len(parts); n > 1 {
		status, rest, _ := strings.Cut(parts[n-1], "\n")
		res[n-2].Status, _ = strconv.Atoi(status)
		if strings.TrimSpace(rest) != "" {
			return res, fmt.Errorf("the block printed after its last command: %s", rest)
		}
	}
	if len(res) < len(cmds) {
		tail := parts[len(parts)-1]
		return res, fmt.Errorf("the block stopped after %d of its %d commands (%v): %s", len(res), len(cmds), err, tail)
	}
	return res, nil
}
