package build

import (
	"bytes"
	"html/template"
	"runtime"
	"strconv"
	"sync"

	"loa/internal/content"
	"loa/internal/qrcode"
	"loa/internal/treaty"
)

// Printed handouts. An outreach officer prints a page or a whole convention
// and hands it out; listeners scan a code on paper and open the same text on
// their phones. The builder draws the codes (internal/qrcode) from baseURL,
// so they are absolute and the same wherever the site is served from:
//
//   - every regular page gets .QR, the code of its permalink, which the
//     layouts show in a print-only block with the address and dates;
//   - on a convention page, each article heading (article-N, dieu-N) is
//     followed in .Content by a print-only block with the code and the text
//     of the article's short URL (<page>/N/, see redirects).
//
// The blocks are display:none on screen but part of the page, so their size
// counts: the codes are compact SVG paths (qrcode). Codes are cached in the
// Builder by their text, so a preview rebuild draws only new ones.

// qrSVG returns the code of text drawn as SVG with the accessible name
// label, from the Builder's cache when an earlier build drew it.
func (b *Builder) qrSVG(text, label string) (template.HTML, error) {
	key := text + "\x00" + label
	b.mu.Lock()
	svg, ok := b.qrs[key]
	b.mu.Unlock()
	if !ok {
		c, err := qrcode.Encode(text)
		if err != nil {
			return "", err
		}
		svg = c.SVG(label)
	}
	b.mu.Lock()
	b.nextQRs[key] = svg
	b.mu.Unlock()
	return svg, nil
}

// handouts sets .QR on every regular page and adds the articles' print-only
// blocks to the content of convention pages, in parallel.
func (s *site) handouts(b *Builder) error {
	var todo []*Page
	for _, p := range s.pages {
		if p.Kind == content.KindPage {
			todo = append(todo, p)
		}
	}
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	work := make(chan *Page)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				if err := s.handout(p, b); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range todo {
		work <- p
	}
	close(work)
	wg.Wait()
	b.mu.Lock()
	b.qrs, b.nextQRs = b.nextQRs, map[string]template.HTML{}
	b.mu.Unlock()
	return firstErr
}

// handout draws the codes of one page. Each is printed next to the address
// it encodes, so it is hidden from assistive technology (no label).
func (s *site) handout(p *Page, b *Builder) error {
	qr, err := b.qrSVG(p.Permalink, "")
	if err != nil {
		return err
	}
	p.QR = qr
	if _, ok := p.Front.Params["code"]; !ok {
		return nil
	}
	// After each article heading's closing tag, the article's block.
	html := []byte(p.Content)
	var out bytes.Buffer
	out.Grow(len(html) + 2000*len(p.Headings))
	at := 0
	for _, h := range p.Headings {
		num, ok := treaty.ArticleNumber(p.Lang, h.ID)
		if !ok {
			continue
		}
		n := strconv.Itoa(num)
		i := bytes.Index(html[at:], []byte(` id="`+h.ID+`"`))
		if i < 0 {
			continue
		}
		closing := []byte("</h" + strconv.Itoa(h.Level) + ">")
		j := bytes.Index(html[at+i:], closing)
		if j < 0 {
			continue
		}
		end := at + i + j + len(closing)
		out.Write(html[at:end])
		short := s.permalink(p.URL + n + "/")
		svg, err := b.qrSVG(short, "")
		if err != nil {
			return err
		}
		out.WriteString("\n<div class=\"handout handout-article\">")
		out.WriteString(string(svg))
		out.WriteString("<p>" + template.HTMLEscapeString(short) + "</p></div>")
		at = end
	}
	out.Write(html[at:])
	p.Content = template.HTML(out.String())
	return nil
}
