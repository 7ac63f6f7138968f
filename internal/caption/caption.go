// Package caption reads the article captions of the conventions
// (data/captions/<code>.yaml): short titles in English and Vietnamese that the
// site shows beside "Article N" headings and indexes for search, kept apart
// from the treaty text, which they never change.
package caption

import (
	"bytes"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"loa/internal/config"
	"loa/internal/diag"
)

// Dir is the folder of a site that holds article captions, one file
// per convention: data/captions/<code>.yaml.
const Dir = "data/captions"

// Caption is the short caption of one article, in English and Vietnamese.
// Own marks the treaty's own article title (CRPD); every other caption is
// editorial, written for the site, and is shown as such.
type Caption struct {
	En, Vi string
	Own    bool
}

// Text returns the caption in lang ("vi" or "en").
func (c Caption) Text(lang string) string {
	if lang == "en" {
		return c.En
	}
	return c.Vi
}

// Set maps a convention code and an article number to its caption.
type Set map[string]map[int]Caption

// Lookup returns the caption of article n of convention code.
func (cs Set) Lookup(code string, n int) (Caption, bool) {
	c, ok := cs[code][n]
	return c, ok
}

// Articles returns the number of articles of the convention with a code, and
// whether the site has that convention.
type Articles func(code string) (int, bool)

// Load reads every data/captions/*.yaml of fsys:
//
//	convention: crc
//	articles:
//	  1: { en: "Definition of the child", vi: "Định nghĩa trẻ em" }
//	  7: { en: "Children with disabilities", vi: "Trẻ em khuyết tật", own: true }
//
// The file name is the convention's code. Bad YAML, an unknown key, an
// unknown convention or an article number the convention does not have
// (articles tells how many each has) are errors at their file:line:col, all
// reported in one sorted list. A site without the folder has no captions.
func Load(fsys fs.FS, articles Articles) (Set, error) {
	names, err := fs.Glob(fsys, Dir+"/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	cs := Set{}
	var errs diag.List
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs.Add(diag.Wrap(diag.Position{File: name}, "cannot read captions", err))
			continue
		}
		code, arts, err := parse(name, data, articles)
		errs.Add(err)
		if code != "" && arts != nil {
			cs[code] = arts
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return cs, nil
}

func parse(file string, data []byte, articles Articles) (string, map[int]Caption, error) {
	var errs diag.List
	pos := func(n *yaml.Node) diag.Position { return diag.Position{File: file, Line: n.Line, Col: n.Column} }
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return "", nil, config.YAMLError(file, 0, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return "", nil, diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "captions must be a mapping {convention, articles}")
	}
	want := strings.TrimSuffix(path.Base(file), ".yaml")
	count, ok := articles(want)
	if !ok {
		return "", nil, diag.Errorf(diag.Position{File: file, Line: 1, Col: 1}, "no convention page has code %q (the file name)", want)
	}
	root := doc.Content[0]
	arts := map[int]Caption{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "convention":
			if v.Value != want {
				errs.Add(diag.Errorf(pos(v), "convention %q does not match the file name (%s.yaml)", v.Value, want))
			}
		case "articles":
			if v.Kind != yaml.MappingNode {
				errs.Add(diag.Errorf(pos(v), "articles must map article numbers to {en, vi}"))
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				nk, nv := v.Content[j], v.Content[j+1]
				n, err := strconv.Atoi(nk.Value)
				if err != nil || n < 1 || n > count {
					errs.Add(diag.Errorf(pos(nk), "article %q: %s has articles 1 to %d", nk.Value, strings.ToUpper(want), count))
					continue
				}
				if _, dup := arts[n]; dup {
					errs.Add(diag.Errorf(pos(nk), "article %d has two captions", n))
					continue
				}
				if nv.Kind != yaml.MappingNode {
					errs.Add(diag.Errorf(pos(nv), "caption of article %d must be a mapping {en, vi}", n))
					continue
				}
				var c Caption
				for m := 0; m+1 < len(nv.Content); m += 2 {
					ck, cv := nv.Content[m], nv.Content[m+1]
					switch ck.Value {
					case "en", "vi":
						if cv.Kind != yaml.ScalarNode || cv.Tag == "!!null" || strings.TrimSpace(cv.Value) == "" {
							errs.Add(diag.Errorf(pos(cv), "%s: expected text", ck.Value))
							continue
						}
						if ck.Value == "en" {
							c.En = strings.TrimSpace(cv.Value)
						} else {
							c.Vi = strings.TrimSpace(cv.Value)
						}
					case "own":
						if cv.Value != "true" && cv.Value != "false" {
							errs.Add(diag.Errorf(pos(cv), "own: expected true or false"))
						}
						c.Own = cv.Value == "true"
					default:
						errs.Add(diag.Errorf(pos(ck), "unknown caption key %q (known: en, vi, own)", ck.Value))
					}
				}
				arts[n] = c
			}
		default:
			errs.Add(diag.Errorf(pos(k), "unknown key %q (known: convention, articles)", k.Value))
		}
	}
	if err := errs.Err(); err != nil {
		return "", nil, err
	}
	return want, arts, nil
}
