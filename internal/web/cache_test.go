package web

import (
	"fmt"
	"strings"
	"testing"
)

// TestVersionCacheIsBoundedByBytes: past its budget the cache still answers,
// but keeps nothing more; a new data version starts it afresh.
func TestVersionCacheIsBoundedByBytes(t *testing.T) {
	w := versionCache{maxBytes: 10 << 10}
	body := []byte(strings.Repeat("x", 1000))
	builds := 0
	build := func() (cached, error) { builds++; return cached{Body: body}, nil }
	for i := range 100 {
		p, err := w.get(1, fmt.Sprint("key", i), build)
		if err != nil || len(p.Body) != len(body) {
			t.Fatalf("get %d: %d bytes, %v", i, len(p.Body), err)
		}
	}
	if w.bytes > w.maxBytes || len(w.items) > 10 || len(w.items) < 5 {
		t.Errorf("%d entries of %d bytes kept for a budget of %d", len(w.items), w.bytes, w.maxBytes)
	}
	// A kept entry is served without building it again.
	before := builds
	w.get(1, "key0", build)
	if builds != before {
		t.Errorf("a kept answer was built again")
	}
	// Storing the same key again does not count its bytes twice.
	w2 := versionCache{maxBytes: 10 << 10}
	for range 50 {
		w2.get(1, "same", build)
	}
	if n := (cached{Body: body}).size() + int64(len("same")); w2.bytes != n {
		t.Errorf("one key stored many times counts %d bytes, want %d", w2.bytes, n)
	}
	w.get(2, "new", build)
	if len(w.items) != 1 {
		t.Errorf("a new version kept %d old entries", len(w.items)-1)
	}
}
