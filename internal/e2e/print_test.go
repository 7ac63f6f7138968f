package e2e

import (
	"loa/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"loa/internal/sitetest"
)

// media switches the page between screen and print styles.
func media(t *testing.T, b *sitetest.Browser, m string) {
	t.Helper()
	if _, err := chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m}); err != nil {
		t.Fatal(err)
	}
}

// TestPrintHandout prints a convention and a guidance page. On screen the
// handout blocks are hidden; in print they show the page's address and QR
// code, the date of printing (written by js/handout.js) and, per article,
// the short URL and its code, while the "Đọc Điều N bằng tiếng Anh" links
// are left out. The PDF is rendered with pdftoppm and, when zbarimg is
// installed, its QR codes are read back.
func TestPrintHandout(t *testing.T) {
	dir := builtSite(t)
	b := sitetest.NewBrowser(t)
	base := sitetest.Serve(t, dir, "/quyen-con-nguoi/")
	viewport(t, b, 1280, 900, false)
	state := `(() => {
		const shown = e => !!e && getComputedStyle(e).display !== "none" && e.getClientRects().length > 0;
		const articles = [...document.querySelectorAll(".handout-article")];
		const english = [...document.querySelectorAll(".content a")].filter(a => a.textContent.includes("bằng tiếng Anh"));
		const printed = document.querySelector(".handout-printed");
		return {
			page: shown(document.querySelector(".handout-page")),
			url: (document.querySelector(".handout-url") || {}).textContent || "",
			articles: articles.length, articlesShown: articles.filter(shown).length,
			article28: (document.querySelector("#dieu-28 + .handout-article p, #article-28 + .handout-article p") || {}).textContent || "",
			english: english.length, englishShown: english.filter(shown).length,
			printed: shown(printed) ? printed.textContent : "",
			today: new Date().toLocaleDateString("en-GB").replace(/\//g, "/"),
		};
	})()`
	for _, tc := range []struct {
		name, page, want28 string
		articles           int
	}{
		{"convention-vi", "cong-uoc/crc/", "https://example.gov.vn/quyen-con-nguoi/cong-uoc/crc/28/", 54},
		{"plan", "huong-dan/ke-hoach-2024/", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			media(t, b, "screen")
			navigate(t, b, base+tc.page)
			screen := eval[map[string]any](t, b, state)
			if screen["page"] == true || screen["articlesShown"].(float64) != 0 || screen["printed"] != "" {
				t.Errorf("handout blocks shown on screen: %v", screen)
			}
			if screen["englishShown"] != screen["english"] {
				t.Errorf("English links hidden on screen: %v", screen)
			}
			media(t, b, "print")
			print := eval[map[string]any](t, b, state)
			t.Logf("print: %v", print)
			if print["page"] != true || print["url"] != "https://example.gov.vn/quyen-con-nguoi/"+tc.page {
				t.Errorf("the page's address and code are not printed: %v", print)
			}
			if int(print["articles"].(float64)) != tc.articles || print["articlesShown"] != print["articles"] || print["article28"] != tc.want28 {
				t.Errorf("articles: %v, want %d shown with %s", print, tc.articles, tc.want28)
			}
			if print["englishShown"].(float64) != 0 {
				t.Errorf("%v \"bằng tiếng Anh\" links printed", print["englishShown"])
			}
			// js/handout.js writes today's date (dd/mm/yyyy on a Vietnamese page).
			if p := print["printed"].(string); !strings.HasPrefix(p, "In ngày:") || !strings.Contains(p, print["today"].(string)) {
				t.Errorf("print date line %q, want today %v", p, print["today"])
			}
			pdf, err := chromedp.Run(b.Ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPageRanges("1-2")))
			if err != nil {
				t.Fatal(err)
			}
			media(t, b, "screen")
			pages := pdfToPNG(t, pdf, "handout-"+tc.name)
			zbar := testtool.Tool(t, "zbarimg", "zbar-tools")
			if len(pages) == 0 {
				t.Fatal("pdftoppm made no page images")
			}
			var codes []string
			for _, png := range pages {
				out, _ := exec.Command(zbar, "--quiet", "--raw", png).Output()
				codes = append(codes, strings.Fields(string(out))...)
			}
			t.Logf("QR codes read from the first two printed pages: %v", codes)
			if !contains(codes, "https://example.gov.vn/quyen-con-nguoi/"+tc.page) || tc.want28 != "" && !contains(codes, "https://example.gov.vn/quyen-con-nguoi/"+tc.page+"1/") {
				t.Errorf("the printed codes do not lead to the page and its first article: %v", codes)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// pdfToPNG renders each page of a PDF at 150 dpi with pdftoppm (Debian's
// poppler-utils) and returns the PNG files; none when pdftoppm is missing.
// With LOA_SCREENSHOTS set, the PDF and PNGs are kept there.
func pdfToPNG(t *testing.T, pdf []byte, name string) []string {
	t.Helper()
	out := os.Getenv("LOA_SCREENSHOTS")
	if out == "" {
		out = t.TempDir()
	}
	os.MkdirAll(out, 0o755)
	f := filepath.Join(out, name+".pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	tool := testtool.Tool(t, "pdftoppm", "poppler-utils")
	if msg, err := exec.Command(tool, "-r", "150", "-png", f, filepath.Join(out, name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, msg)
	}
	pages, _ := filepath.Glob(filepath.Join(out, name+"-*.png"))
	return pages
}
