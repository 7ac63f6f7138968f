package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"loa/internal/sitetest"
)

// TestAccessibility runs axe-core (installed by `make test` from npm) on the
// main kinds of page, in light and dark mode, and fails on any WCAG 2.1 A or
// AA violation, colour contrast included.
func TestAccessibility(t *testing.T) {
	axe, err := os.ReadFile("../../node_modules/axe-core/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core is missing (run `make test`, which installs it with npm): %v", err)
	}
	dir := builtSite(t)
	b := sitetest.NewBrowser(t)
	base := sitetest.ServeWith404(t, dir, "/quyen-con-nguoi/")
	pages := []string{"", "en/", "cong-uoc/", "cong-uoc/crc/", "en/conventions/crc/", "en/conventions/crpd/",
		"huong-dan/ke-hoach-2024/", "huong-dan/", "tim-kiem/?q=quyen+tre+em", "en/search/?q=torture", "gioi-thieu/", "404.html",
		"huong-dan-bien-tap/viet-bai/", "khong-co/trang-nay/"}
	for _, scheme := range []string{"light", "dark"} {
		_, err := chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			t.Run(scheme+"/"+strings.NewReplacer("/", "_", "?", "_").Replace(p), func(t *testing.T) {
				navigate(t, b, base+p)
				if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[any](string(axe))); err != nil {
					t.Fatalf("loading axe: %v", err)
				}
				res, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]map[string]any](`axe.run(document, {
					runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
					resultTypes: ["violations"],
				}).then(r => r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 160))})))`, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("running axe: %v", err)
				}
				for _, v := range res {
					t.Errorf("%s: %s %v", v["id"], v["help"], v["nodes"])
				}
				if len(res) > 0 {
					screenshot(t, b, fmt.Sprintf("a11y-%s-%s", scheme, filepath.Base(strings.Trim(p, "/"))))
				}
			})
		}
	}
}
