package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hrx/internal/users"
)

// TestBrowserUploadProgressAndCancel is what an editor sees uploading a
// large file in headless Chromium: the page shows how far reading and
// checking got; "Cancel the upload" stops it and says nothing was kept (and
// nothing was); a small file then goes straight to its preview.
func TestBrowserUploadProgressAndCancel(t *testing.T) {
	tab := startChromium(t, 90*time.Second)
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	dir := t.TempDir()
	big, small := filepath.Join(dir, "big.csv"), filepath.Join(dir, "small.csv")
	os.WriteFile(big, manyRows(200000), 0o600)
	os.WriteFile(small, []byte("month,direction,category,count\n2025-10,IN-JP,student,5\n"), 0o600)
	signInBrowser(t, tab, e, "ed@example.gov.in")

	// waitText waits until the selector's text contains want.
	waitText := func(sel, want string) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			s, err := chromedp.Run(tab, chromedp.Evaluate[string](`(document.querySelector(`+"`"+sel+"`"+`) || {}).innerText || ""`))
			s = strings.Join(strings.Fields(s), " ")
			if err == nil && strings.Contains(s, want) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s never said %q: %v (last %q)", sel, want, err, s)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	goTo(t, tab, e.srv.URL+"/imports/new")
	if err := chromedp.Do(tab,
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{big}),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".upload-progress progress")),
	); err != nil {
		t.Fatal(err)
	}
	waitText(".upload-progress-text", "Reading and checking the file")
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(".upload-cancel"))); err != nil {
		t.Fatal(err)
	}
	waitText(".upload-progress-text", "The upload was cancelled; nothing of the file was kept.")
	// The server notices the cancelled request and rolls its staging back.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var imports, rows int64
		e.db.R.Raw("SELECT COUNT(*) FROM imports").Scan(&imports)
		e.db.R.Raw("SELECT COUNT(*) FROM import_rows").Scan(&rows)
		if imports == 0 && rows == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cancelled upload left %d imports and %d staged rows", imports, rows)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// The submit button is back; a small file goes to its preview.
	if err := chromedp.Do(tab,
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{small}),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
	); err != nil {
		t.Fatal(err)
	}
	waitText("main", "Rows read 1")
	loc, err := chromedp.Run(tab, chromedp.Evaluate[string](`location.pathname`))
	if err != nil || !strings.HasPrefix(loc, "/imports/") || loc == "/imports/new" {
		t.Errorf("after the upload the page is %q %v", loc, err)
	}
}
