package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPlanAsYouType: in headless Chromium, typing a growth updates the
// scenario's numbers and the address without sending the form; a bad value
// gets its message beside the field, the value kept; fixing it clears it.
func TestBrowserPlanAsYouType(t *testing.T) {
	tab := startChromium(t, 60*time.Second)
	e := newEnv(t)
	knownData(e)
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(s), " ")
	}
	// waitFor waits until js gives a text holding want.
	waitFor := func(js, want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			s := eval(js)
			if strings.Contains(s, want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("never %q in %s: %s", want, js, s)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	result := `document.getElementById("plan-result").innerText`

	run("open the planner", chromedp.Navigate(e.srv.URL+"/targets/total-exchange/plan"), chromedp.WaitVisible(chromedp.CSS("#growth")))
	waitFor(result, "455,000 people short")
	eval(`window.notReloaded = "yes"`)

	eval(`document.querySelector("#growth").value = ""`)
	run("type a growth of 2", chromedp.SendKeys(chromedp.CSS("#growth"), "2"))
	waitFor(result, "416,124 people short")
	waitFor(`location.search`, "growth=2")
	if eval(`window.notReloaded || ""`) != "yes" {
		t.Error("the page was reloaded: the form was sent")
	}

	run("type a letter", chromedp.SendKeys(chromedp.CSS("#growth"), "x"))
	waitFor(`document.querySelector("#growth").closest(".field").innerText`, "is not a number")
	if v := eval(`document.querySelector("#growth").value + " " + document.querySelector("#growth").getAttribute("aria-invalid")`); v != "2x true" {
		t.Errorf("the field after a bad value: %q", v)
	}

	eval(`document.querySelector("#growth").value = ""`)
	run("take it back", chromedp.SendKeys(chromedp.CSS("#growth"), "2"))
	waitFor(result, "416,124 people short")
	if s := eval(`document.querySelector("#growth").closest(".field").innerText + (document.querySelector("#growth").getAttribute("aria-invalid") || "")`); strings.Contains(s, "is not a number") || strings.Contains(s, "true") {
		t.Errorf("the message stayed: %q", s)
	}

	// Typing a fixed number chooses that kind of scenario.
	eval(`document.querySelector("#fixed").value = ""`)
	run("type a fixed number", chromedp.SendKeys(chromedp.CSS("#fixed"), "9000"))
	waitFor(result, "The target would be reached in June 2030.")
	waitFor(`location.search`, "mode=fixed")
}
