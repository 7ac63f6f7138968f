package build

import (
	"strings"

	"loa/internal/search"
)

// longPage is the plain-text length from which a guidance page is indexed
// section by section, like a convention is indexed article by article.
const longPage = 2000

// SearchDocs returns the documents to index: one per page, and for
// convention pages and long pages one per article or section (h2/h3), so a
// result links straight to the article. Search pages themselves are left out.
func (r *Result) SearchDocs() []search.Doc {
	var docs []search.Doc
	for _, p := range r.Pages {
		if p.Front.Layout == "search" {
			continue
		}
		code, _ := p.Front.Params["code"].(string)
		kind := "page"
		switch {
		case code != "":
			kind = "convention"
		case p.Section == "huong-dan":
			kind = "guidance"
		}
		base := search.Doc{PageURL: p.URL, PageTitle: p.Front.Title, Lang: p.Lang, Kind: kind, Code: code}
		split := code != "" || (len(p.Text) >= longPage && len(p.Sections) > 2)
		if !split {
			d := base
			d.ID, d.URL, d.Title = p.URL, p.URL, p.Front.Title
			d.Body = strings.TrimSpace(p.Front.Description + "\n" + p.Text)
			docs = append(docs, d)
			continue
		}
		lead := base
		lead.ID, lead.URL, lead.Title = p.URL, p.URL, p.Front.Title
		lead.Body = p.Front.Description
		for _, s := range p.Sections {
			if s.ID == "" {
				lead.Body = strings.TrimSpace(lead.Body + "\n" + s.Text)
				continue
			}
			if strings.TrimSpace(s.Text) == "" {
				continue // a part heading with nothing of its own
			}
			d := base
			d.ID = p.URL + "#" + s.ID
			d.URL = d.ID
			d.Title = s.Heading
			d.Section = s.Heading
			d.Body = s.Text
			docs = append(docs, d)
		}
		docs = append(docs, lead)
	}
	return docs
}
