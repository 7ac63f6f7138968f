package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"loa/internal/convention"
	"loa/internal/diag"
)

const importUsage = "usage: loa import convention FILE --code CODE --lang LANG [--out DIR] [--force]"

// runImport implements "loa import convention FILE --code CODE --lang LANG
// [--out content] [--force]". args are the arguments after "import". Flags
// may come before or after FILE. It writes the page atomically and refuses
// to replace a page that was not imported or was edited since (unless
// --force). Exit codes: 0 success, 1 import errors, 2 usage errors.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "convention" {
		fmt.Fprintln(stderr, importUsage)
		return 2
	}
	fs := flag.NewFlagSet("loa import convention", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, importUsage)
		fs.PrintDefaults()
	}
	code := fs.String("code", "", "convention code: "+strings.Join(convention.Codes(), ", "))
	lang := fs.String("lang", "", "language of the text: en or vi")
	out := fs.String("out", "content", "content folder to write into")
	force := fs.Bool("force", false, "overwrite a page even if it was edited by hand or not imported")
	files, err := parseInterspersed(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch {
	case len(files) != 1:
		fmt.Fprintf(stderr, "loa import convention: want exactly one FILE, got %d\n%s\n", len(files), importUsage)
		return 2
	case *code == "" || *lang == "":
		fmt.Fprintf(stderr, "loa import convention: --code and --lang are required\n%s\n", importUsage)
		return 2
	}
	file := files[0]
	name := displayName(file)
	src, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(stderr, diag.Wrap(diag.Position{File: name}, "", err))
		return 1
	}
	page, err := convention.Import(name, src, *code, *lang)
	if err != nil {
		printDiag(stderr, err)
		return 1
	}
	for _, w := range page.Warnings {
		fmt.Fprintln(stderr, w)
	}
	dest := filepath.Join(*out, filepath.FromSlash(page.Path))
	if err := convention.WriteFile(ctx, dest, page.Data, *force); err != nil {
		printDiag(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s (%d articles, %d corrections)\n", diag.Printable(filepath.ToSlash(dest)), page.Articles, len(page.Corrections))
	return 0
}

// parseInterspersed parses flags that may come before, between or after
// positional arguments (flag.FlagSet stops at the first one). Everything
// after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse stops at "--" (consuming it) or at a non-flag.
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// displayName is how the input file is named in diagnostics and in the
// page's front matter: relative to the working folder when it is inside it
// (corpus/crc.en.txt), else just its base name, so that no private path ends
// up in published content.
func displayName(file string) string {
	if !filepath.IsAbs(file) {
		return filepath.ToSlash(filepath.Clean(file))
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.Base(file)
}
