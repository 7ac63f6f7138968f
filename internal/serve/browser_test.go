package serve_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"loa/internal/sitetest"
)

// TestBrowser checks reload and the error overlay in headless Chromium:
// a saved page reloads at the same scroll position; a failed build shows its
// errors, escaped, over the last good page.
func TestBrowser(t *testing.T) {
	long := strings.Repeat("Đoạn văn dài để trang có thể cuộn xuống. ", 40) + "\n\n"
	body := func(marker string) string {
		return "---\ntitle: Bài một\n---\n" + marker + "\n\n" + strings.Repeat(long, 30)
	}
	p := newPreview(t, site)
	ev := p.events(t)
	until(t, ev, "first build", func() bool { code, _, _ := p.get(t, "/"); return code == 200 })
	writeFile(t, p.root, "content/huong-dan/a.md", body("Bản một."))
	next(t, ev, "reload")

	b := sitetest.NewBrowser(t)
	wait := func(what, js string) {
		t.Helper()
		// A reload destroys the page a poll runs in: poll again in the new
		// one until the deadline.
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, err := chromedp.Run(b.Ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(time.Until(deadline))))
			if err == nil {
				return
			}
			if time.Now().After(deadline) || b.Ctx.Err() != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
	}
	if _, err := chromedp.Run(b.Ctx, chromedp.Navigate(p.url+"/huong-dan/a/")); err != nil {
		t.Fatal(err)
	}
	wait("live reload connected", `document.documentElement.getAttribute("data-loa-live") !== null`)
	y := eval[float64](t, b, `window.scrollTo(0, 1500); window.scrollY`)
	if y != 1500 {
		t.Fatalf("could not scroll the page: scrollY = %v", y)
	}

	// Save: the tab reloads, shows the new text and keeps its place.
	writeFile(t, p.root, "content/huong-dan/a.md", body("Bản hai."))
	wait("reload", `document.body.innerText.includes("Bản hai.") && document.documentElement.getAttribute("data-loa-restored") !== null`)
	if y := eval[float64](t, b, `window.scrollY`); y < 1490 || y > 1510 {
		t.Errorf("scroll position after reload = %v, want 1500", y)
	}

	// Break the page: the overlay lists the error, escaped, and the last
	// good version stays visible.
	writeFile(t, p.root, "content/huong-dan/a.md", "---\ntitle: Bài một\nweight: \"<b>nặng</b>\"\n---\nBản ba.\n")
	wait("overlay", `document.getElementById("loa-overlay") !== null`)
	text := eval[string](t, b, `document.getElementById("loa-overlay").textContent`)
	if !strings.Contains(text, `content/huong-dan/a.md:3:9: weight: expected a whole number, got "<b>nặng</b>"`) {
		t.Errorf("overlay text:\n%s", text)
	}
	if !eval[bool](t, b, `document.querySelector("#loa-overlay b") === null && document.body.innerText.includes("Bản hai.")`) {
		t.Errorf("the overlay parsed the message as HTML, or the last good page is gone")
	}

	// Fix it: the page reloads without the overlay.
	writeFile(t, p.root, "content/huong-dan/a.md", body("Bản bốn."))
	wait("recovery", `document.body.innerText.includes("Bản bốn.") && document.getElementById("loa-overlay") === null`)
	b.AssertNoThirdParty(t, p.url)
}

func eval[T any](t *testing.T, b *sitetest.Browser, js string) T {
	t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}
