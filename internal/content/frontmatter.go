package content

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"loa/internal/config"
	"loa/internal/diag"
)

// FrontMatter is the YAML block between "---" lines at the top of a page.
// Keys loa knows are typed fields; any other key is kept in Params for
// layouts (convention pages keep their metadata there).
type FrontMatter struct {
	Title          string
	Description    string
	Date           time.Time
	Lastmod        time.Time
	Draft          bool
	Weight         int
	Slug           string
	Aliases        []string
	Tags           []string
	Topics         []string
	Layout         string
	TranslationKey string
	AllowHTML      bool
	TOC            *bool // nil: automatic (shown when the page has three or more h2/h3 headings)
	// Search says whether the page is in the site search: nil follows the
	// site's default for its section (loa.yaml search.exclude), false leaves
	// it out, true keeps it in an excluded section.
	Search *bool
	Params map[string]any

	// AliasPos holds the position of each alias, for errors.
	AliasPos []diag.Position
	// SlugPos and LayoutPos are the positions of the slug and layout
	// values (zero when unset), for errors found later in the build.
	SlugPos, LayoutPos diag.Position
}

// split separates front matter from the body. It returns the YAML text, the
// body, and the 1-based line on which the body starts. A file without a
// leading "---" line has no front matter.
func split(file string, src []byte) (yamlText []byte, body []byte, bodyLine int, err error) {
	if !bytes.HasPrefix(src, []byte("---")) {
		return nil, src, 1, nil
	}
	first := bytes.IndexByte(src, '\n')
	if first < 0 || strings.TrimRight(string(src[:first]), " \r\t") != "---" {
		return nil, src, 1, nil
	}
	line := 2
	off := first + 1
	for off <= len(src) {
		end := bytes.IndexByte(src[off:], '\n')
		var l []byte
		next := len(src) + 1
		if end >= 0 {
			l = src[off : off+end]
			next = off + end + 1
		} else {
			l = src[off:]
		}
		if t := strings.TrimRight(string(l), " \r\t"); t == "---" || t == "..." {
			if next > len(src) {
				next = len(src)
			}
			return src[first+1 : off], src[next:], line + 1, nil
		}
		off = next
		line++
	}
	return nil, nil, 0, diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "front matter is not closed: add a line \"---\" after it")
}

// parseFrontMatter decodes the YAML text. Positions are reported in lines of
// the original file: the YAML starts on line 2.
func parseFrontMatter(file string, text []byte) (FrontMatter, error) {
	fm := FrontMatter{Params: map[string]any{}}
	if len(bytes.TrimSpace(text)) == 0 {
		return fm, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return fm, config.YAMLError(file, 1, err)
	}
	if len(doc.Content) == 0 {
		return fm, nil
	}
	root := doc.Content[0]
	pos := func(n *yaml.Node) diag.Position { return diag.Position{File: file, Line: n.Line + 1, Col: n.Column} }
	if root.Kind != yaml.MappingNode {
		return fm, diag.Errorf(pos(root), "front matter must be a YAML mapping of keys to values")
	}
	var errs diag.List
	str := func(k, v *yaml.Node) string {
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" && v.Value != "" {
			errs.Add(diag.Errorf(pos(v), "%s: expected text", k.Value))
			return ""
		}
		if v.Tag == "!!null" {
			return ""
		}
		return v.Value
	}
	boolean := func(k, v *yaml.Node) bool {
		var b bool
		if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
			errs.Add(diag.Errorf(pos(v), "%s: expected true or false, got %q", k.Value, v.Value))
			return false
		}
		_ = v.Decode(&b)
		return b
	}
	strs := func(k, v *yaml.Node) ([]string, []diag.Position) {
		if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
			return []string{v.Value}, []diag.Position{pos(v)}
		}
		if v.Kind != yaml.SequenceNode {
			if v.Tag != "!!null" {
				errs.Add(diag.Errorf(pos(v), "%s: expected a list of text", k.Value))
			}
			return nil, nil
		}
		var out []string
		var ps []diag.Position
		for _, it := range v.Content {
			if it.Kind != yaml.ScalarNode {
				errs.Add(diag.Errorf(pos(it), "%s: expected text in the list", k.Value))
				continue
			}
			out = append(out, it.Value)
			ps = append(ps, pos(it))
		}
		return out, ps
	}
	date := func(k, v *yaml.Node) time.Time {
		t, err := parseDate(v)
		if err != nil {
			errs.Add(diag.Errorf(pos(v), "%s: %v", k.Value, err))
		}
		return t
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if first, ok := seen[k.Value]; ok {
			errs.Add(diag.Errorf(pos(k), "%s: the key is given twice (first on line %d): keep one", k.Value, first.Line+1))
			continue
		}
		seen[k.Value] = k
		switch k.Value {
		case "title":
			fm.Title = str(k, v)
		case "description":
			fm.Description = str(k, v)
		case "date":
			fm.Date = date(k, v)
		case "lastmod":
			fm.Lastmod = date(k, v)
		case "draft":
			fm.Draft = boolean(k, v)
		case "weight":
			n, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil {
				errs.Add(diag.Errorf(pos(v), "weight: expected a whole number, got %q", v.Value))
			}
			fm.Weight = n
		case "slug":
			fm.Slug = str(k, v)
			fm.SlugPos = pos(v)
			if strings.ContainsAny(fm.Slug, "/\\?#% ") || fm.Slug == "." || fm.Slug == ".." {
				errs.Add(diag.Errorf(pos(v), "slug: %q must be one URL segment without spaces, slashes, '?', '#' or '%%'", fm.Slug))
			}
		case "aliases":
			fm.Aliases, fm.AliasPos = strs(k, v)
			for i, a := range fm.Aliases {
				if msg := badAlias(a); msg != "" {
					errs.Add(diag.Errorf(fm.AliasPos[i], "aliases: %q %s; write the old address as a site path such as /tin-tuc/bai-cu/", a, msg))
				}
			}
		case "tags":
			fm.Tags, _ = strs(k, v)
		case "topics":
			fm.Topics, _ = strs(k, v)
		case "layout":
			fm.Layout = str(k, v)
			fm.LayoutPos = pos(v)
			if strings.ContainsAny(fm.Layout, "/\\.") {
				errs.Add(diag.Errorf(pos(v), "layout: %q must be a plain name such as \"convention\"", fm.Layout))
			}
		case "translationKey":
			fm.TranslationKey = str(k, v)
		case "allowHTML":
			fm.AllowHTML = boolean(k, v)
		case "toc":
			b := boolean(k, v)
			fm.TOC = &b
		case "search":
			b := boolean(k, v)
			fm.Search = &b
		default:
			var val any
			if err := v.Decode(&val); err != nil {
				errs.Add(diag.Errorf(pos(v), "%s: %v", k.Value, err))
				continue
			}
			fm.Params[k.Value] = normalise(val)
		}
	}
	return fm, errs.Err()
}

// normalise turns YAML dates into strings "2006-01-02" so templates and JSON see
// one type, and makes maps string-keyed.
func normalise(v any) any {
	switch x := v.(type) {
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339)
	case []any:
		for i := range x {
			x[i] = normalise(x[i])
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = normalise(x[k])
		}
		return x
	}
	return v
}

var dateLayouts = []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04"}

func parseDate(v *yaml.Node) (time.Time, error) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		return time.Time{}, fmt.Errorf("expected a date like 2024-04-05, got %s", describe(v))
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v.Value); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("expected a date like 2024-04-05, got %q", v.Value)
}

func describe(v *yaml.Node) string {
	switch v.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	if v.Tag == "!!null" {
		return "nothing"
	}
	return strconv.Quote(v.Value)
}

// badAlias says why an alias cannot be an old address of this site, or "".
// An alias becomes a folder of the output, so it must be a plain site path.
func badAlias(a string) string {
	switch {
	case strings.Contains(a, "://") || strings.HasPrefix(a, "//"):
		return "is an address on another site, not a path of this one"
	case strings.Trim(a, "/") == "":
		return "is the home page"
	case strings.ContainsAny(a, "\\?#%"):
		return "contains '\\', '?', '#' or '%'"
	}
	for _, r := range a {
		if r < 0x20 || r == 0x7f {
			return "contains a control character"
		}
	}
	for _, seg := range strings.Split(strings.Trim(a, "/"), "/") {
		if seg == ".." || seg == "." || seg == "" {
			return "contains an empty, '.' or '..' segment"
		}
	}
	return ""
}
