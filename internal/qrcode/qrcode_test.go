package qrcode

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"loa/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var texts = []string{
	"https://example.gov.vn/quyen-con-nguoi/cong-uoc/crc/28/",
	"https://example.gov.vn/quyen-con-nguoi/en/conventions/crc/28/",
	"https://huyen.gov.vn/quyen-con-nguoi/huong-dan/ke-hoach-2024/",
	"https://x.vn/",
}

// grid parses the path that SVG draws back into modules: it is the test's
// decoder of the drawing, checked against Code.Dark.
func grid(t *testing.T, svg string, size int) [][]bool {
	t.Helper()
	m := regexp.MustCompile(`<path d="([^"]*)"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no path in %s", svg)
	}
	g := make([][]bool, size)
	for i := range g {
		g[i] = make([]bool, size)
	}
	x, y := 0, 0
	cmd := regexp.MustCompile(`([Mmh])([-0-9. ]+)`)
	for _, c := range cmd.FindAllStringSubmatch(m[1], -1) {
		nums := strings.Fields(c[2])
		switch c[1] {
		case "M", "m":
			dx, _ := strconv.Atoi(nums[0])
			dy, _ := strconv.ParseFloat(nums[1], 64)
			if c[1] == "M" {
				x, y = dx, int(dy) // "y.5": the stroke runs through the middle of row y
			} else {
				x, y = x+dx, y+int(dy)
			}
		case "h":
			n, _ := strconv.Atoi(nums[0])
			for i := 0; i < n; i++ {
				g[y][x+i] = true
			}
			x += n
		}
	}
	return g
}

func TestSVGDrawsTheCode(t *testing.T) {
	for _, text := range texts {
		c, err := Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		svg := string(c.SVG(""))
		g := grid(t, svg, c.Size)
		for y := 0; y < c.Size; y++ {
			for x := 0; x < c.Size; x++ {
				if g[y][x] != c.Dark(x, y) {
					t.Fatalf("%s: module (%d,%d) drawn %v, code %v", text, x, y, g[y][x], c.Dark(x, y))
				}
			}
		}
		// The three finder patterns are where the standard puts them.
		for _, o := range [][2]int{{0, 0}, {c.Size - 7, 0}, {0, c.Size - 7}} {
			if !c.Dark(o[0], o[1]) || c.Dark(o[0]+1, o[1]+1) || !c.Dark(o[0]+3, o[1]+3) {
				t.Errorf("%s: no finder pattern at %v", text, o)
			}
		}
		if !strings.Contains(svg, `aria-hidden="true"`) || !strings.Contains(string(c.SVG("QR: "+text)), `role="img" aria-label="QR: `+text+`"`) {
			t.Errorf("%s: accessible name wrong", text)
		}
		t.Logf("%s: %dx%d, %d bytes of SVG", text, c.Size, c.Size, len(svg))
	}
}

func TestEncodeIsDeterministic(t *testing.T) {
	for _, text := range texts {
		a, _ := Encode(text)
		b, _ := Encode(text)
		if a.SVG("x") != b.SVG("x") {
			t.Errorf("%s: two encodings differ", text)
		}
	}
	c, _ := Encode(texts[0])
	if c.Size != 33 {
		t.Errorf("a 55-character URL at level M takes version 4 (33x33), got %dx%d", c.Size, c.Size)
	}
	if _, err := Encode(strings.Repeat("x", 3000)); err == nil {
		t.Error("no error for a text longer than any QR code holds")
	}
}

// TestDecode reads the codes back with zbarimg (Debian's zbar-tools) when it
// is installed: an independent decoder, not this package's idea of the code.
func TestDecode(t *testing.T) {
	zbar := testtool.Tool(t, "zbarimg", "zbar-tools")
	for i, text := range texts {
		c, _ := Encode(text)
		const scale = 6
		n := (c.Size + 2*Quiet) * scale
		img := image.NewGray(image.Rect(0, 0, n, n))
		for py := 0; py < n; py++ {
			for px := 0; px < n; px++ {
				v := color.Gray{255}
				if c.Dark(px/scale-Quiet, py/scale-Quiet) {
					v = color.Gray{0}
				}
				img.SetGray(px, py, v)
			}
		}
		var buf bytes.Buffer
		png.Encode(&buf, img)
		f := filepath.Join(t.TempDir(), strconv.Itoa(i)+".png")
		os.WriteFile(f, buf.Bytes(), 0o644)
		out, err := exec.Command(zbar, "--quiet", "--raw", f).Output()
		if got := strings.TrimSpace(string(out)); err != nil || got != text {
			t.Errorf("zbarimg read %q (%v), want %q", got, err, text)
		}
	}
}

// BenchmarkEncodeURL encodes a page address as the handouts do, one code per
// page: 116 µs before the plans were cached, 63 µs after (this machine).
func BenchmarkEncodeURL(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Encode("https://example.gov.vn/bai/nhom-050/p5001/"); err != nil {
			b.Fatal(err)
		}
	}
}
