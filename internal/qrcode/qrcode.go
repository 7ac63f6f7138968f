// Package qrcode draws QR codes as small inline SVG, for the printed handouts
// of the site's pages: a reader's phone scans the code on paper and opens the
// same article online. It is the only importer of rsc.io/qr (Russ Cox's
// encoder), which encodes the text (its bits and error correction) and lays
// out each mask's plan; this package places the bytes with each plan once
// per code, picks the mask and draws.
//
// # Size
//
// A handout carries one code per convention article (54 on the CRC page),
// hidden on screen but downloaded with the page, so the drawing is as
// compact as SVG allows: one <path> whose strokes are the horizontal runs of
// dark modules, with relative moves ("m3 0h2"). A 33x33 code is about 1.8 KB
// (some 200 bytes gzip-compressed among the codes of a page).
//
// # Determinism
//
// The same text gives the same bytes: the version is the smallest that fits,
// the level is fixed, and the mask is the one with the lowest penalty of
// ISO/IEC 18004 (ties: the lowest mask number).
package qrcode

import (
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"

	"rsc.io/qr/coding"
)

// Level is the error correction level of every code: M recovers about 15%
// of damaged modules (a folded or smudged handout) and keeps a page URL in
// a 33x33 code.
const Level = coding.M

// Quiet is the width of the light border around a code, in modules (the
// standard asks for 4).
const Quiet = 4

// Code is a square grid of modules.
type Code struct {
	Size int
	dark []bool // row by row
}

// Dark reports whether the module at column x, row y is dark. Outside the
// grid (the quiet zone) it is light.
func (c *Code) Dark(x, y int) bool {
	return x >= 0 && y >= 0 && x < c.Size && y < c.Size && c.dark[y*c.Size+x]
}

// Encode encodes text in byte mode at Level, in the smallest version that
// holds it, with the mask of lowest penalty.
//
// The data and error-correction bytes do not depend on the mask, so they
// are made once and placed with each mask's plan as coding.Plan.Encode
// places them (TestEncodeAsPlan compares the two): Plan.Encode would compute
// the Reed-Solomon bytes eight times, a third of the time of a code.
func Encode(text string) (*Code, error) {
	enc := coding.String(text)
	v := coding.Version(coding.MinVersion)
	for ; enc.Bits(v) > v.DataBytes(Level)*8; v++ {
		if v >= coding.MaxVersion {
			return nil, errors.New("qrcode: text too long")
		}
	}
	if err := enc.Check(); err != nil {
		return nil, fmt.Errorf("qrcode: %w", err)
	}
	var b coding.Bits
	enc.Encode(&b, v)
	b.AddCheckBytes(v, Level)
	data := b.Bytes()
	var best *Code
	bestScore := -1
	for m := coding.Mask(0); m < 8; m++ {
		p, err := plan(v, m)
		if err != nil {
			return nil, fmt.Errorf("qrcode: %w", err)
		}
		n := len(p.Pixel)
		c := &Code{Size: n, dark: make([]bool, n*n)}
		for y, row := range p.Pixel {
			for x, pix := range row {
				switch pix.Role() {
				case coding.Data, coding.Check:
					if o := pix.Offset(); data[o/8]&(1<<(7-o&7)) != 0 {
						pix ^= coding.Black
					}
				}
				c.dark[y*n+x] = pix&coding.Black != 0
			}
		}
		if s := c.penalty(); bestScore < 0 || s < bestScore {
			best, bestScore = c, s
		}
	}
	return best, nil
}

// plans caches the layout of each version and mask at Level: making one was
// a third of Encode's time (a handout per page, each with its codes), and a
// plan is only read by Plan.Encode, so it is safe to share.
var plans sync.Map // planKey -> *coding.Plan

type planKey struct {
	v coding.Version
	m coding.Mask
}

func plan(v coding.Version, m coding.Mask) (*coding.Plan, error) {
	if p, ok := plans.Load(planKey{v, m}); ok {
		return p.(*coding.Plan), nil
	}
	p, err := coding.NewPlan(v, Level, m)
	if err != nil {
		return nil, err
	}
	plans.Store(planKey{v, m}, p)
	return p, nil
}

// penalty scores a masked code by the four rules of ISO/IEC 18004 §7.8.3:
// runs of five or more same-colour modules, 2x2 blocks, finder-like
// patterns, and the balance of dark and light.
func (c *Code) penalty() int {
	n, score := c.Size, 0
	// Rows, then columns (of the transposed grid), as lines of modules.
	t := make([]bool, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			t[x*n+y] = c.dark[y*n+x]
		}
	}
	for _, g := range [2][]bool{c.dark, t} {
		for y := 0; y < n; y++ {
			line := g[y*n : y*n+n]
			run := 1
			for x := 1; x <= n; x++ {
				if x < n && line[x] == line[x-1] {
					run++
					continue
				}
				if run >= 5 {
					score += run - 2 // 3 for five, one more for each further module
				}
				run = 1
			}
			// 1:1:3:1:1 (dark light dark dark dark light dark) with four light modules on one side.
			for x := 0; x+11 <= n; x++ {
				p := line[x : x+11]
				if !p[4] || p[5] || !p[6] { // both patterns have dark, light, dark there
					continue
				}
				if p[0] && !p[1] && p[2] && p[3] && p[4] && !p[5] && p[6] && !p[7] && !p[8] && !p[9] && !p[10] {
					score += 40
				}
				if !p[0] && !p[1] && !p[2] && !p[3] && p[4] && !p[5] && p[6] && p[7] && p[8] && !p[9] && p[10] {
					score += 40
				}
			}
		}
	}
	dark := 0
	for i, d := range c.dark {
		if d {
			dark++
		}
		if x, y := i%n, i/n; x+1 < n && y+1 < n && c.dark[i+1] == d && c.dark[i+n] == d && c.dark[i+n+1] == d {
			score += 3
		}
	}
	dev := dark*100/(n*n) - 50
	if dev < 0 {
		dev = -dev
	}
	return score + dev/5*10
}

// SVG returns the code as an <svg> element with label as its accessible
// name, or hidden from assistive technology when label is empty (a code
// printed next to the text it encodes). The drawing is a single stroked path
// in a viewBox that includes the quiet zone; CSS gives it its printed size.
func (c *Code) SVG(label string) template.HTML {
	var d strings.Builder
	cx, cy := 0, 0 // the pen, in path coordinates (y is the row, the stroke runs along y+0.5)
	first := true
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; {
			if !c.Dark(x, y) {
				x++
				continue
			}
			end := x
			for end < c.Size && c.Dark(end, y) {
				end++
			}
			if first {
				d.WriteString("M" + strconv.Itoa(x) + " " + strconv.Itoa(y) + ".5")
				first = false
			} else {
				d.WriteString("m" + strconv.Itoa(x-cx) + " " + strconv.Itoa(y-cy))
			}
			d.WriteString("h" + strconv.Itoa(end-x))
			cx, cy, x = end, y, end
		}
	}
	w := strconv.Itoa(c.Size + 2*Quiet)
	q := strconv.Itoa(-Quiet)
	a11y := ` aria-hidden="true"`
	if label != "" {
		a11y = ` role="img" aria-label="` + template.HTMLEscapeString(label) + `"`
	}
	return template.HTML(`<svg class="qr" viewBox="` + q + " " + q + " " + w + " " + w + `"` + a11y +
		`><path d="` + d.String() + `" stroke="#000" shape-rendering="crispEdges"/></svg>`)
}
