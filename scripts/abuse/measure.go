package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"
)

// sampleEvery is how often memory, temporary files and /healthz are sampled.
const sampleEvery = 20 * time.Millisecond

// readRSS is the resident memory of a process in bytes (VmRSS in /proc/PID/status).
func readRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmRSS:")); ok {
			f := bytes.Fields(v)
			if len(f) == 2 && string(f[1]) == "kB" {
				n, err := strconv.ParseInt(string(f[0]), 10, 64)
				return n << 10, err
			}
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// dirSize adds up the sizes of the files under dir; files that vanish while it
// walks (a request finishing) are skipped.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// sampler follows the server's resident memory and the size of its TMPDIR.
type sampler struct {
	pid      int
	dir      string
	stop     chan struct{}
	done     chan struct{}
	mu       sync.Mutex
	rssPeak  int64
	tempPeak int64
}

func startSampler(pid int, dir string) *sampler {
	s := &sampler{pid: pid, dir: dir, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *sampler) sample() {
	rss, _ := readRSS(s.pid)
	tmp := dirSize(s.dir)
	s.mu.Lock()
	s.rssPeak, s.tempPeak = max(s.rssPeak, rss), max(s.tempPeak, tmp)
	s.mu.Unlock()
}

// reset forgets the peaks so far (the warm-up's), keeping the current level.
func (s *sampler) reset() {
	s.mu.Lock()
	s.rssPeak, s.tempPeak = 0, 0
	s.mu.Unlock()
	s.sample()
}

func (s *sampler) finish() (rssPeak, tempPeak int64) {
	close(s.stop)
	<-s.done
	s.sample()
	return s.rssPeak, s.tempPeak
}

// baselineRSS is the median of a few samples taken just before an attack.
func baselineRSS(pid int) int64 {
	var v []int64
	for range 5 {
		if n, err := readRSS(pid); err == nil {
			v = append(v, n)
		}
		time.Sleep(sampleEvery)
	}
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	return v[len(v)/2]
}

// poller asks /healthz every sampleEvery on its own connection, one request
// at a time, and keeps each answer's latency (a failed or timed-out request
// counts with the time it took, and as an error).
type poller struct {
	stop, done chan struct{}
	lat        []time.Duration
	errs       int
	firstErr   string
}

func startPoller(base string) *poller {
	p := &poller{stop: make(chan struct{}), done: make(chan struct{})}
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
	go func() {
		defer close(p.done)
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
			start := time.Now()
			resp, err := c.Get(base + "/healthz")
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
			}
			p.lat = append(p.lat, time.Since(start))
			if err != nil {
				if p.errs++; p.firstErr == "" {
					p.firstErr = err.Error()
				}
			}
		}
	}()
	return p
}

// finish stops polling and returns the largest latency and the 99th percentile.
func (p *poller) finish() (maxLat, p99 time.Duration) {
	close(p.stop)
	<-p.done
	if len(p.lat) == 0 {
		return 0, 0
	}
	s := slices.Clone(p.lat)
	slices.Sort(s)
	i := (len(s)*99+99)/100 - 1
	return s[len(s)-1], s[min(max(i, 0), len(s)-1)]
}
