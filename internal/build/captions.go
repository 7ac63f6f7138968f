package build

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"strings"

	"loa/internal/caption"
	"loa/internal/layout"
	"loa/internal/markdown"
	"loa/internal/treaty"
)

// applyCaptions adds each article's caption (data/captions) to its heading on
// the convention pages: "Điều 10 · <span class="caption">Bình đẳng trong giáo
// dục</span>" in the HTML, and the same words in the table of contents and
// the search documents. The treaty text itself is not touched. A caption that
// is the treaty's own title (CRPD, in English) and already in the heading is
// not repeated; every other caption, the Vietnamese rendering of an own
// title included, is editorial and carries a title saying so, and the page
// shows a note (layout.Page.Captions). The rendered Markdown is shared with the
// cache, so new slices are made, never changed in place.
func (s *site) applyCaptions(set *layout.Set) {
	for _, p := range s.pages {
		code, _ := p.Front.Params["code"].(string)
		arts := s.captions[code]
		if len(arts) == 0 {
			continue
		}
		tip := ""
		if set != nil {
			tip, _ = set.T(p.Lang, "captionTitle")
		}
		// Heading text with its caption, by id.
		with := map[string]string{}
		var out bytes.Buffer
		src := []byte(p.Content)
		for _, h := range p.Headings {
			n, ok := treaty.ArticleNumber(p.Lang, h.ID)
			if !ok {
				continue
			}
			c, ok := arts[n]
			text := c.Text(p.Lang)
			if !ok || text == "" || strings.Contains(h.Text, text) {
				continue
			}
			open := []byte(fmt.Sprintf(` id="%s">`, h.ID))
			i := bytes.Index(src, open)
			if i < 0 {
				continue
			}
			end := bytes.Index(src[i:], []byte("</h"))
			if end < 0 {
				continue
			}
			end += i
			out.Write(src[:end])
			out.WriteString(` · <span class="caption"`)
			// A treaty's own titles are its own only in its English
			// text; their Vietnamese rendering is this site's.
			if !c.Own || p.Lang != "en" {
				p.Captions = true
				if tip != "" {
					fmt.Fprintf(&out, ` title="%s"`, html.EscapeString(tip))
				}
			}
			fmt.Fprintf(&out, `>%s</span>`, html.EscapeString(text))
			src = src[end:]
			with[h.ID] = h.Text + " · " + text
		}
		if len(with) == 0 {
			continue
		}
		out.Write(src)
		p.Content = template.HTML(out.Bytes())
		p.Headings = captioned(p.Headings, with)
		p.TOC = captioned(p.TOC, with)
		secs := make([]markdown.Section, len(p.Sections))
		for i, sec := range p.Sections {
			if t, ok := with[sec.ID]; ok {
				sec.Heading = t
			}
			secs[i] = sec
		}
		p.Sections = secs
	}
}

func captioned(hs []markdown.Heading, with map[string]string) []markdown.Heading {
	out := make([]markdown.Heading, len(hs))
	for i, h := range hs {
		if t, ok := with[h.ID]; ok {
			h.Text = t
		}
		out[i] = h
	}
	return out
}

// captionsKey fingerprints the captions for the output memo.
func captionsKey(cs caption.Set) string {
	return fmt.Sprintf("%v", map[string]map[int]caption.Caption(cs))
}

// loadCaptions reads data/captions, checking article numbers against the
// "articles" count in the front matter of each convention's pages.
func loadCaptions(fsys fs.FS, s *site) (caption.Set, error) {
	return caption.Load(fsys, func(code string) (int, bool) {
		n, found := 0, false
		for k, p := range s.conventions {
			if strings.HasPrefix(k, code+"/") {
				found = true
				if c, ok := p.Front.Params["articles"].(int); ok && c > n {
					n = c
				}
			}
		}
		return n, found
	})
}
