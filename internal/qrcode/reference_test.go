package qrcode

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr/coding"
)

// penaltyRef is the rules of ISO/IEC 18004 §7.8.3 written as directly as
// they read, module by module: penalty must agree with it on any grid.
func penaltyRef(c *Code) int {
	n, score := c.Size, 0
	at := func(x, y int, rows bool) bool {
		if rows {
			return c.dark[y*n+x]
		}
		return c.dark[x*n+y]
	}
	for _, rows := range []bool{true, false} {
		for y := 0; y < n; y++ {
			for x := 0; x < n; {
				end := x
				for end < n && at(end, y, rows) == at(x, y, rows) {
					end++
				}
				if end-x >= 5 {
					score += 3 + end - x - 5
				}
				x = end
			}
			for x := 0; x+11 <= n; x++ {
				var p [11]bool
				for k := range p {
					p[k] = at(x+k, y, rows)
				}
				if p == [11]bool{true, false, true, true, true, false, true, false, false, false, false} ||
					p == [11]bool{false, false, false, false, true, false, true, true, true, false, true} {
					score += 40
				}
			}
		}
	}
	dark := 0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			d := c.dark[y*n+x]
			if d {
				dark++
			}
			if x+1 < n && y+1 < n && c.dark[y*n+x+1] == d && c.dark[(y+1)*n+x] == d && c.dark[(y+1)*n+x+1] == d {
				score += 3
			}
		}
	}
	k := dark * 100 / (n * n)
	dev := k - 50
	if dev < 0 {
		dev = -dev
	}
	return score + dev/5*10
}

func TestPenaltyMatchesRules(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		n := 21 + 4*r.IntN(10)
		c := &Code{Size: n, dark: make([]bool, n*n)}
		bias := r.Float64()
		for k := range c.dark {
			c.dark[k] = r.Float64() < bias
		}
		if got, want := c.penalty(), penaltyRef(c); got != want {
			t.Fatalf("grid %d (size %d): penalty %d, the rules give %d", i, n, got, want)
		}
	}
	for _, text := range []string{"https://example.gov.vn/bai/nhom-050/p5001/", "x"} {
		c, err := Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.penalty(), penaltyRef(c); got != want {
			t.Errorf("%q: penalty %d, the rules give %d", text, got, want)
		}
	}
}

// TestEncodeAsPlan: Encode gives the code that rsc.io/qr's Plan.Encode
// gives with the mask of lowest penalty, for texts of every version a page
// URL can need.
func TestEncodeAsPlan(t *testing.T) {
	texts := []string{"x", "https://example.gov.vn/", "https://example.gov.vn/quyen-con-nguoi/cong-uoc/crc/index.html#dieu-28"}
	for i := 0; i < 60; i++ {
		texts = append(texts, "https://so-tu-phap.langson.gov.vn/"+strings.Repeat("bai/", i)+"p"+strconv.Itoa(i*7919)+"/")
	}
	for _, text := range texts {
		got, err := Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		enc := coding.String(text)
		v := coding.Version(coding.MinVersion)
		for enc.Bits(v) > v.DataBytes(Level)*8 {
			v++
		}
		var want *Code
		for m := coding.Mask(0); m < 8; m++ {
			p, err := coding.NewPlan(v, Level, m)
			if err != nil {
				t.Fatal(err)
			}
			cc, err := p.Encode(enc)
			if err != nil {
				t.Fatal(err)
			}
			c := &Code{Size: cc.Size, dark: make([]bool, cc.Size*cc.Size)}
			for y := 0; y < cc.Size; y++ {
				for x := 0; x < cc.Size; x++ {
					c.dark[y*cc.Size+x] = cc.Black(x, y)
				}
			}
			if want == nil || penaltyRef(c) < penaltyRef(want) {
				want = c
			}
		}
		if got.Size != want.Size || !slices.Equal(got.dark, want.dark) {
			t.Errorf("%q: not the code of lowest penalty that Plan.Encode gives", text)
		}
	}
}
