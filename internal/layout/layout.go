// Package layout renders pages with html/template layouts from layouts/.
//
// Every page is rendered by layouts/_default/baseof.html, which calls
// {{ block "main" . }}; the page's kind template defines "main". The kind
// template is the first that exists of:
//
//  1. front matter layout X: layouts/<section>/X.html, layouts/_default/X.html
//  2. layouts/<section>/<kind>.html (kind: single, list; the home page uses layouts/index.html)
//  3. layouts/_default/<kind>.html
//
// Partials in layouts/partials/ are available to every template as
// {{ template "partials/name.html" . }}. The data of every template is a
// *Page; see its fields and methods for what templates can use.
package layout

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"loa/internal/config"
	"loa/internal/diag"
)

// Dir is the folder of layouts at the site root; I18nDir holds UI strings.
const (
	Dir     = "layouts"
	I18nDir = "i18n"
	base    = "_default/baseof.html"
)

// Set is a parsed set of layouts, safe for concurrent Render calls.
type Set struct {
	common *template.Template // baseof + partials, never executed, cloned per kind template
	files  map[string][]byte  // template name ("_default/single.html") -> source
	i18n   map[string]map[string]string

	hash string

	mu     sync.Mutex
	clones map[string]*template.Template
	errs   map[string]error
}

// Load parses layouts/ and i18n/ from fsys (the site root).
func Load(fsys fs.FS) (*Set, error) {
	s := &Set{files: map[string][]byte{}, i18n: map[string]map[string]string{}, clones: map[string]*template.Template{}, errs: map[string]error{}}
	var errs diag.List
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Add(diag.Wrap(diag.Position{File: p}, "cannot read layouts", err))
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(p, ".html") || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs.Add(diag.Wrap(diag.Position{File: p}, "cannot read layout", err))
			return nil
		}
		s.files[strings.TrimPrefix(p, Dir+"/")] = b
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, ok := s.files[base]; !ok {
		errs.Add(diag.Errorf(diag.Position{File: Dir + "/" + base}, "missing base layout: every page is rendered through %s/%s", Dir, base))
	}
	s.common = template.New(base).Option("missingkey=error")
	if b, ok := s.files[base]; ok {
		if _, err := s.common.Parse(string(b)); err != nil {
			errs.Add(parseError(err))
		}
	}
	names := sortedKeys(s.files)
	for _, name := range names {
		if !strings.HasPrefix(name, "partials/") {
			continue
		}
		if _, err := s.common.New(name).Parse(string(s.files[name])); err != nil {
			errs.Add(parseError(err))
		}
	}
	// Parse every other template once, so a syntax error is reported even in
	// a layout no page uses yet.
	for _, name := range names {
		if name == base || strings.HasPrefix(name, "partials/") {
			continue
		}
		if _, err := template.New(name).Parse(string(s.files[name])); err != nil {
			errs.Add(parseError(err))
		}
	}
	if err := s.loadI18n(fsys, &errs); err != nil {
		return nil, err
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	h := sha256.New()
	for _, name := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(s.files[name]))
		h.Write(s.files[name])
	}
	for _, lang := range sortedKeys(s.i18n) {
		for _, k := range sortedKeys(s.i18n[lang]) {
			fmt.Fprintf(h, "%s\x00%s\x00%s\n", lang, k, s.i18n[lang][k])
		}
	}
	s.hash = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

func (s *Set) loadI18n(fsys fs.FS, errs *diag.List) error {
	entries, err := fs.ReadDir(fsys, I18nDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		errs.Add(diag.Wrap(diag.Position{File: I18nDir}, "cannot read i18n folder", err))
		return nil
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		p := I18nDir + "/" + e.Name()
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs.Add(diag.Wrap(diag.Position{File: p}, "cannot read", err))
			continue
		}
		var node yaml.Node
		if err := yaml.Unmarshal(b, &node); err != nil {
			errs.Add(config.YAMLError(p, 0, err))
			continue
		}
		m := map[string]string{}
		if len(node.Content) > 0 {
			root := node.Content[0]
			if root.Kind != yaml.MappingNode {
				errs.Add(diag.Errorf(diag.Position{File: p, Line: root.Line, Col: root.Column}, "i18n file must map keys to text"))
				continue
			}
			for i := 0; i+1 < len(root.Content); i += 2 {
				k, v := root.Content[i], root.Content[i+1]
				if v.Kind != yaml.ScalarNode {
					errs.Add(diag.Errorf(diag.Position{File: p, Line: v.Line, Col: v.Column}, "%s: expected text", k.Value))
					continue
				}
				m[k.Value] = v.Value
			}
		}
		s.i18n[strings.TrimSuffix(e.Name(), ".yaml")] = m
	}
	return nil
}

// Hash fingerprints every layout and UI string, so callers can tell whether
// a page rendered with a previous Set would render the same.
func (s *Set) Hash() string { return s.hash }

// literalID finds id attributes written literally in a layout.
var literalID = regexp.MustCompile(`\sid="([A-Za-z][\w:.-]*)"`)

// IDs returns the ids written literally in any layout file (id="main"),
// sorted: content headings must not take them. Ids computed by template
// actions are not included.
func (s *Set) IDs() []string {
	seen := map[string]bool{}
	for _, src := range s.files {
		for _, m := range literalID.FindAllSubmatch(src, -1) {
			seen[string(m[1])] = true
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Has reports whether a layout file exists (name relative to layouts/).
func (s *Set) Has(name string) bool { _, ok := s.files[name]; return ok }

// Lookup returns the kind template for a page and the candidates it tried.
func (s *Set) Lookup(kind, section, layout string) (string, []string) {
	var cands []string
	if layout != "" {
		if section != "" {
			cands = append(cands, section+"/"+layout+".html")
		}
		cands = append(cands, "_default/"+layout+".html")
	}
	switch kind {
	case "home":
		cands = append(cands, "index.html", "_default/list.html")
	case "section":
		if section != "" {
			cands = append(cands, section+"/list.html")
		}
		cands = append(cands, "_default/list.html")
	case "404":
		cands = append(cands, "404.html")
	default:
		if section != "" {
			cands = append(cands, section+"/single.html")
		}
		cands = append(cands, "_default/single.html")
	}
	for _, c := range cands {
		if s.Has(c) {
			return c, cands
		}
	}
	return "", cands
}

func (s *Set) template(name string) (*template.Template, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.clones[name]; ok {
		return t, nil
	}
	if err, ok := s.errs[name]; ok {
		return nil, err
	}
	t, err := s.common.Clone()
	if err == nil {
		_, err = t.New(name).Parse(string(s.files[name]))
	}
	if err != nil {
		err = parseError(err)
		s.errs[name] = err
		return nil, err
	}
	s.clones[name] = t
	return t, nil
}

// Render executes the page's layout and returns the HTML. Errors name the
// page (its file) and the template position.
func (s *Set) Render(p *Page) ([]byte, error) {
	pagePos := diag.Position{File: p.Path, Line: 1, Col: 1}
	name, cands := s.Lookup(p.Kind, p.Section, p.Front.Layout)
	if name == "" {
		for i := range cands {
			cands[i] = Dir + "/" + cands[i]
		}
		return nil, diag.Errorf(pagePos, "no layout for this page (kind %s): looked for %s", p.Kind, strings.Join(cands, ", "))
	}
	// A layout the front matter names must exist: falling back to the
	// kind's template would hide a typo.
	if l := p.Front.Layout; l != "" && path.Base(name) != l+".html" {
		var tried []string
		for _, c := range cands {
			if path.Base(c) == l+".html" {
				tried = append(tried, Dir+"/"+c)
			}
		}
		return nil, diag.Errorf(p.Front.LayoutPos, "layout: no layout named %q (looked for %s): create it, or remove the key to use %s/%s", l, strings.Join(tried, " and "), Dir, name)
	}
	t, err := s.template(name)
	if err != nil {
		return nil, diag.Wrap(pagePos, fmt.Sprintf("layout %s/%s", Dir, name), err)
	}
	p.set = s
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, base, p); err != nil {
		if le := s.layoutError(err, p.Path); le != nil {
			return nil, le
		}
		return nil, diag.Wrap(pagePos, "", err)
	}
	return buf.Bytes(), nil
}

// ExecError is a layout that failed while rendering a page. Pos is the
// layout's own file:line:col (columns in characters), so that one mistake
// in a layout is one error, however many pages use the layout: the builder
// groups ExecErrors by Pos and Msg and lists the pages as context.
type ExecError struct {
	Pos  diag.Position // in layouts/
	Msg  string        // what html/template said, without its position
	Page string        // the content file being rendered
	Err  error
}

func (e *ExecError) Error() string {
	return fmt.Sprintf("%s: %s (rendering %s)", e.Pos, e.Msg, e.Page)
}

func (e *ExecError) Unwrap() error { return e.Err }

// layoutError positions an execution or escaping error of html/template at
// the layout file, or returns nil when the error names no position.
func (s *Set) layoutError(err error, page string) *ExecError {
	msg := err.Error()
	m := execRe.FindStringSubmatch(msg)
	if m == nil {
		m = escapeRe.FindStringSubmatch(msg)
	}
	if m == nil {
		return nil
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	if line == 0 {
		line, col = 1, 1 // html/template named the layout but no line
	}
	return &ExecError{Pos: diag.Position{File: Dir + "/" + m[1], Line: line, Col: s.charCol(m[1], line, col)}, Msg: m[4], Page: page, Err: err}
}

// charCol turns html/template's byte column on a line of a layout into a
// character column, the unit of every position loa prints.
func (s *Set) charCol(name string, line, col int) int {
	src, ok := s.files[name]
	if !ok || col <= 1 {
		return col
	}
	lines := bytes.SplitN(src, []byte("\n"), line+1)
	if line-1 >= len(lines) {
		return col
	}
	l := lines[line-1]
	if col-1 > len(l) {
		return col
	}
	return utf8.RuneCount(l[:col-1]) + 1
}

var (
	parseRe = regexp.MustCompile(`^template: ([^:]+):(\d+):(?:(\d+):)? ?(.*)$`)
	execRe  = regexp.MustCompile(`^template: ([^:]+):(\d+):(\d+): (.*)$`)
	// html/template's escaping errors: "html/template:_default/single.html:4:10: ..."
	escapeRe = regexp.MustCompile(`^html/template:([^: ]+):(?:(\d+):)?(?:(\d+):)? ?(.*)$`)
)

// parseError converts an html/template parse error to a positioned error in
// the layout file.
func parseError(err error) error {
	msg := err.Error()
	if m := parseRe.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return &diag.Error{Pos: diag.Position{File: Dir + "/" + m[1], Line: line, Col: col}, Msg: "template error: " + m[4], Err: err}
	}
	return &diag.Error{Pos: diag.Position{File: Dir}, Msg: msg, Err: err}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// T returns the UI string key in lang, or an error naming the missing key.
func (s *Set) T(lang, key string) (string, error) {
	if v, ok := s.i18n[lang][key]; ok {
		return v, nil
	}
	return "", fmt.Errorf("missing UI string %q in %s/%s.yaml", key, I18nDir, lang)
}
