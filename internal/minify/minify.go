// Package minify is the only importer of github.com/tdewolff/minify (the
// minifier behind Hugo's --minify): it minifies the CSS and JavaScript files
// of a site's output, so a phone on a slow link loads about half the bytes.
package minify

import (
	"bytes"
	"errors"
	"strings"

	"loa/internal/diag"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/parse/v2"
)

var m = func() *minify.M {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("text/javascript", js.Minify)
	return m
}()

// mediaType returns the media type of path that File minifies, "" for
// others: .css and .js (.mjs) files, except those named *.min.* (minified
// already).
func mediaType(path string) string {
	if strings.Contains(path[strings.LastIndexByte(path, '/')+1:], ".min.") {
		return ""
	}
	switch {
	case strings.HasSuffix(path, ".css"):
		return "text/css"
	case strings.HasSuffix(path, ".js"), strings.HasSuffix(path, ".mjs"):
		return "text/javascript"
	}
	return ""
}

// File returns b minified when path (an output path such as "js/search.js")
// names a CSS or JavaScript file, and b itself otherwise. A file the
// minifier cannot parse is a *diag.Error at the line and column (in
// characters) of src, the file to fix (such as "static/js/search.js").
func File(src, path string, b []byte) ([]byte, error) {
	mt := mediaType(path)
	if mt == "" {
		return b, nil
	}
	// tdewolff/minify's JavaScript minifier renames variables and requotes
	// strings in its input; b is the caller's (a static file's bytes, kept
	// between builds).
	out, err := m.Bytes(mt, bytes.Clone(b))
	if err != nil {
		pos := diag.Position{File: src, Line: 1, Col: 1}
		msg := err.Error()
		var pe *parse.Error
		if errors.As(err, &pe) {
			pos.Line, pos.Col, msg = pe.Line, pe.Column, pe.Message
		}
		return nil, diag.Errorf(pos, "cannot minify: %s (fix the file, or set minify: false in loa.yaml to copy CSS and JavaScript as they are)", msg)
	}
	return out, nil
}
