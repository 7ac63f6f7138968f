package build

import (
	"errors"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"loa/internal/diag"
	"loa/internal/search"
	"loa/internal/treaty"
)

// longPage is the plain-text length from which a guidance page is indexed
// section by section, like a convention is indexed article by article.
const longPage = 2000

// Search priors (search.Doc.Weight), chosen on internal/search/testdata/relevance.tsv:
// the page document of a split page (title, description, introduction)
// names everything its articles treat, and the procedural articles of a
// convention (its committee, reports, final clauses: front matter
// proceduralFrom, the first such article) repeat the convention's name; a
// reader asking about a right wants the article that grants it.
const (
	weightLead       = 0.4
	weightProcedural = 0.6
)

// SearchDocs returns the documents to index: one per page, and for
// convention pages and long pages one per article or section (h2/h3), so a
// result links straight to the article. The page document of a split page
// holds only its title, description and introduction (the text before the
// first heading), not a copy of its sections. Search pages, pages with
// "search: false" and the sections listed in loa.yaml search.exclude (unless
// the page says "search: true") are left out; the phrases of search.omit are
// removed from the indexed text. Documents of a convention carry its code and,
// for an article, "điều N"/"article N" as keywords and its names apart
// (Doc.Names), so "crc 28" finds the article and a query naming the
// convention does not favour the page over its articles.
func (r *Result) SearchDocs() []search.Doc {
	var docs []search.Doc
	omit := omitPattern(r.Config.Search.Omit)
	clean := func(s string) string {
		if omit != nil {
			s = omit.ReplaceAllString(s, "")
		}
		return strings.TrimSpace(s)
	}
	excluded := map[string]bool{}
	for _, s := range r.Config.Search.Exclude {
		excluded[s] = true
	}
	for _, p := range r.Pages {
		if p.Front.Layout == "search" {
			continue
		}
		if in := p.Front.Search; (in != nil && !*in) || (in == nil && excluded[p.Section]) {
			continue
		}
		code, _ := p.Front.Params["code"].(string)
		kind := "page"
		switch {
		case code != "":
			kind = "convention"
		case p.Section != "" && p.Section == r.Config.Guidance:
			kind = "guidance"
		}
		base := search.Doc{PageURL: p.URL, PageTitle: p.Front.Title, Lang: p.Lang, Kind: kind, Code: code}
		split := code != "" || (len(p.Text) >= longPage && len(p.Sections) > 2)
		if !split {
			d := base
			d.ID, d.URL, d.Title = p.URL, p.URL, p.Front.Title
			d.Body = clean(p.Front.Description + "\n" + p.Text)
			docs = append(docs, d)
			continue
		}
		lead := base
		lead.ID, lead.URL, lead.Title = p.URL, p.URL, p.Front.Title
		lead.Body = p.Front.Description
		lead.Weight = weightLead
		procFrom, _ := p.Front.Params["proceduralFrom"].(int)
		if code != "" {
			// The code and both names of the convention.
			names := []string{p.Front.Title}
			for _, k := range []string{"titleVi", "titleEn"} {
				if t, ok := p.Front.Params[k].(string); ok && t != p.Front.Title {
					names = append(names, t)
				}
			}
			lead.Keywords = code
			lead.Names = strings.Join(names, "\n")
		}
		for _, s := range p.Sections {
			if s.ID == "" {
				lead.Body = lead.Body + "\n" + s.Text
				continue
			}
			body := clean(s.Text)
			if body == "" {
				continue // a part heading with nothing of its own
			}
			d := base
			d.ID = p.URL + "#" + s.ID
			d.URL = d.ID
			d.Title = s.Heading
			d.Section = s.Heading
			d.Body = body
			if code != "" {
				d.Keywords = code
				d.Names = p.Front.Title
				if n, ok := treaty.ArticleNumber(p.Lang, s.ID); ok {
					word := "article"
					if p.Lang == "vi" {
						word = "điều"
					}
					d.Keywords += "\n" + word + " " + strconv.Itoa(n)
					if procFrom > 0 && n >= procFrom {
						d.Weight = weightProcedural
					}
				}
			}
			docs = append(docs, d)
		}
		lead.Body = clean(lead.Body)
		docs = append(docs, lead)
	}
	return docs
}

// SynonymFile is the site's synonym list, which editors extend (see
// search.Synonyms for the format).
const SynonymFile = "data/synonyms.yaml"

// loadSynonyms reads data/synonyms.yaml when the site has one; its errors are
// positioned diagnostics.
func loadSynonyms(fsys fs.FS) (*search.Synonyms, error) {
	data, err := fs.ReadFile(fsys, SynonymFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, diag.Wrap(diag.Position{File: SynonymFile}, "cannot read synonyms", err)
	}
	syn, err := search.ParseSynonyms(SynonymFile, data)
	var se search.SynonymErrors
	if errors.As(err, &se) {
		var l diag.List
		for _, e := range se {
			l.Add(diag.Errorf(diag.Position{File: e.File, Line: e.Line, Col: e.Col}, "%s", e.Msg))
		}
		return nil, l.Err()
	}
	return syn, err
}

// SearchOptions returns the site-wide search settings: the synonym list.
func (r *Result) SearchOptions() search.Options {
	return search.Options{Synonyms: r.Synonyms}
}

// omitPattern compiles the boilerplate phrases of loa.yaml search.omit into
// one expression; "{n}" matches a number.
func omitPattern(phrases []string) *regexp.Regexp {
	if len(phrases) == 0 {
		return nil
	}
	alts := make([]string, len(phrases))
	for i, p := range phrases {
		alts[i] = strings.ReplaceAll(regexp.QuoteMeta(p), `\{n\}`, `[0-9]+`)
	}
	return regexp.MustCompile(`(?:` + strings.Join(alts, "|") + `)`)
}
