package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"loa/internal/build"
	"loa/internal/diag"
	"loa/internal/state"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loa build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "site root folder (holds loa.yaml)")
	out := fs.String("out", "", "output folder (default: ROOT/public)")
	drafts := fs.Bool("drafts", false, "include draft pages")
	quiet := fs.Bool("quiet", false, "print only errors")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "loa build: unexpected argument %q (flags come before nothing else: loa build [--drafts] [--root DIR] [--out DIR])\n", fs.Arg(0))
		return 2
	}
	if *out == "" {
		*out = filepath.Join(*root, "public")
	}
	defer cpuProfile(stderr)()
	start := time.Now()
	b := build.New()
	res, err := b.Build(ctx, build.Options{FS: os.DirFS(*root), Drafts: *drafts})
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "loa: stopped (interrupted); %s was not changed\n", diag.Printable(*out))
		return 130
	}
	if err != nil {
		printDiag(stderr, err)
		fmt.Fprintln(stderr, "loa: build failed; public/ was not changed")
		return 1
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, w)
	}
	if w := res.Config.PlaceholderWarning(); w != nil {
		fmt.Fprintln(stderr, w)
	}
	pages, files := len(res.Pages), len(res.Files) // Write releases them
	if err := res.Write(ctx, build.WriteOptions{Out: *out, Root: *root, State: filepath.Join(*root, state.DirName), Log: stderr, Release: true}); err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "loa: stopped (interrupted); %s was not changed\n", diag.Printable(*out))
			return 130
		}
		printDiag(stderr, err)
		fmt.Fprintln(stderr, "loa: build failed; the previous output was not changed")
		return 1
	}
	if !*quiet {
		fmt.Fprintf(stdout, "loa: built %d pages, %d files into %s in %s\n", pages, files, diag.Printable(*out), time.Since(start).Round(time.Millisecond))
	}
	return 0
}
