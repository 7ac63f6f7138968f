package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"loa/internal/config"
	"os"
	"strings"
	"time"

	"loa/internal/diag"
	"loa/internal/scaffold"
)

// runNew starts a new content file: `loa new guidance "Tiêu đề"` or
// `loa new page PATH [--title T]`.
func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return newCommand(args, stdout, stderr, time.Now)
}

func newCommand(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	fs := flag.NewFlagSet("loa new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "site root folder (holds loa.yaml)")
	title := fs.String("title", "", "title of the page (loa new page)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loa new guidance \"Tiêu đề bài viết\"   -> content/huong-dan/tieu-de-bai-viet.md")
		fmt.Fprintln(stderr, "       loa new page PATH [--title T]        -> content/PATH")
		fs.PrintDefaults()
	}
	// Flags may come before or after the kind and its argument.
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(rest) < 2 {
		fs.Usage()
		return 2
	}
	kind, arg := rest[0], strings.Join(rest[1:], " ")
	var (
		p   scaffold.Page
		err error
	)
	today := now()
	switch kind {
	case "guidance":
		if *title != "" {
			arg = *title
		}
		cfg, cerr := config.Load(os.DirFS(*root), config.FileName)
		if cerr != nil {
			printDiag(stderr, cerr)
			return 1
		}
		if cfg.Guidance == "" {
			fmt.Fprintf(stderr, "loa new guidance: %s names no guidance section: add a line such as guidance: huong-dan\n", config.FileName)
			return 1
		}
		p, err = scaffold.Guidance(cfg.Guidance, arg, today)
	case "page":
		if len(rest) > 2 {
			fmt.Fprintf(stderr, "loa new page: one path only (got %q); give the title with --title\n", rest[1:])
			return 2
		}
		p, err = scaffold.At(arg, *title, today)
	default:
		fmt.Fprintf(stderr, "loa new: unknown kind %q: use guidance or page\n", kind)
		return 2
	}
	if err == nil {
		err = scaffold.Create(*root, p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "loa new: %s\n", printable(err))
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", diag.Printable(p.Path))
	fmt.Fprintf(stderr, "loa: created %s (draft: true). Preview it with: loa serve --drafts\n", diag.Printable(p.Path))
	return 0
}
