// Package feed writes the machine-readable files of a site: the XML sitemap
// (sitemaps.org 0.9), an RSS 2.0 feed per language, and the small redirect
// pages that send an old address (an alias) or an article's short URL to
// its page. Each function takes plain values and returns the file's bytes,
// deterministically for the same input.
package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"sort"
	"time"
)

// URL is one entry of the sitemap.
type URL struct {
	Loc     string    // absolute URL
	Lastmod time.Time // zero: not given
}

// Sitemap returns a sitemap of urls, sorted by address, dates as
// YYYY-MM-DD.
func Sitemap(urls []URL) []byte {
	urls = append([]URL(nil), urls...)
	sort.Slice(urls, func(i, j int) bool { return urls[i].Loc < urls[j].Loc })
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		b.WriteString("  <url><loc>")
		xml.EscapeText(&b, []byte(u.Loc))
		b.WriteString("</loc>")
		if !u.Lastmod.IsZero() {
			b.WriteString("<lastmod>" + u.Lastmod.Format("2006-01-02") + "</lastmod>")
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// Item is one entry of an RSS feed.
type Item struct {
	Title       string
	Link        string // absolute URL, also the GUID
	Date        time.Time
	Description string
}

// MaxItems is the most items a feed lists.
const MaxItems = 50

type rssItem struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	GUID        string `xml:"guid"`
	PubDate     string `xml:"pubDate"`
	Description string `xml:"description,omitempty"`
}

// RSS returns an RSS 2.0 feed titled title for the site at home in lang,
// of items newest first (ties by link), at most MaxItems.
func RSS(title, home, lang string, items []Item) []byte {
	items = append([]Item(nil), items...)
	sort.SliceStable(items, func(i, j int) bool {
		if !items[i].Date.Equal(items[j].Date) {
			return items[i].Date.After(items[j].Date)
		}
		return items[i].Link < items[j].Link
	})
	if len(items) > MaxItems {
		items = items[:MaxItems]
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<rss version="2.0"><channel>`)
	enc := xml.NewEncoder(&b)
	enc.EncodeElement(title, xml.StartElement{Name: xml.Name{Local: "title"}})
	enc.EncodeElement(home, xml.StartElement{Name: xml.Name{Local: "link"}})
	enc.EncodeElement(title, xml.StartElement{Name: xml.Name{Local: "description"}})
	enc.EncodeElement(lang, xml.StartElement{Name: xml.Name{Local: "language"}})
	for _, it := range items {
		enc.EncodeElement(rssItem{Title: it.Title, Link: it.Link, GUID: it.Link, PubDate: it.Date.UTC().Format(time.RFC1123Z), Description: it.Description}, xml.StartElement{Name: xml.Name{Local: "item"}})
	}
	enc.Flush()
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

const redirectHTML = `<!DOCTYPE html>
<html lang="%s">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="%s">
<meta http-equiv="refresh" content="0; url=%s">
</head>
<body>
<p><a href="%s">%s</a></p>
</body>
</html>
`

// Redirect returns a page in lang titled title that sends the reader to
// target (a relative URL, so it works from disk), with canonical (the
// absolute address) for search engines and a plain link for browsers that
// do not follow the refresh.
func Redirect(lang, title, canonical, target string) []byte {
	esc := template.HTMLEscapeString
	return []byte(fmt.Sprintf(redirectHTML, lang, esc(title), esc(canonical), esc(target), esc(target), esc(title)))
}
