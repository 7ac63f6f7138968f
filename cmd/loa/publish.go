package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"loa/internal/diag"
	"loa/internal/publish"
	"loa/internal/state"
)

// runPublish is `loa publish --to DIR [--from public] [--dry-run] [--force]`.
func runPublish(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("publish", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var opts publish.Options
	fl.StringVar(&opts.To, "to", "", "folder to publish into (the portal's folder); it must exist")
	fl.StringVar(&opts.From, "from", publish.DefaultFrom, "folder of the built site")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the plan and change nothing")
	fl.BoolVar(&opts.Force, "force", false, "replace files in the way that are not loa's (someone's, or loa's edited since) with the build's; never removes anything")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: loa publish --to DIR [--from public] [--dry-run] [--force]")
		fmt.Fprintln(stderr, "Copies the built site into DIR: only what changed, pages after their assets, stale files last.")
		fmt.Fprintln(stderr, "If a publish is interrupted, run the same command again to finish it.")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return publishUsageExit(err)
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "loa publish: unexpected argument %q\n", fl.Arg(0))
		fl.Usage()
		return 2
	}
	if opts.To == "" {
		fmt.Fprintln(stderr, "loa publish: no folder to publish to; give one with --to DIR")
		return 2
	}
	if publish.IsTerminal(stderr) {
		opts.Progress = stderr
	}
	if st := openState(opts.From); st != nil {
		if rec, err := st.LookupOutput(opts.From); err == nil && rec != nil {
			opts.Written = &publish.Manifest{Schema: publish.SchemaVersion, Generator: publish.Generator(), Files: rec.Files}
		}
	}
	res, err := publish.Publish(ctx, opts)
	if res != nil {
		for _, w := range res.Warnings {
			fmt.Fprintln(stderr, "warning:", diag.Printable(w))
		}
	}
	if err != nil {
		if res != nil && opts.DryRun {
			res.WriteSummary(stdout, opts.To, true)
		}
		printDiag(stderr, err)
		return 1
	}
	res.WriteSummary(stdout, opts.To, opts.DryRun)
	return 0
}

// runPack is `loa pack [--out FILE] [--from public]`.
func runPack(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("pack", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var opts publish.PackOptions
	fl.StringVar(&opts.Out, "out", publish.DefaultPackName, "zip file to write")
	fl.StringVar(&opts.From, "from", publish.DefaultFrom, "folder of the built site")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: loa pack [--out loa-site.zip] [--from public]")
		fmt.Fprintln(stderr, "Writes the built site as one zip that works when unzipped and opened from disk.")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return publishUsageExit(err)
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "loa pack: unexpected argument %q\n", fl.Arg(0))
		fl.Usage()
		return 2
	}
	st := openState(opts.From)
	opts.Owned = func(path string) bool {
		if st == nil {
			return false
		}
		ok, err := st.Owns(path)
		return err == nil && ok
	}
	res, err := publish.Pack(ctx, opts)
	if err != nil {
		printDiag(stderr, err)
		return 1
	}
	if st != nil {
		if err := recordPack(st, res.Out); err != nil {
			fmt.Fprintf(stderr, "loa pack: warning: cannot record the zip in %s (the next pack will not replace it): %s\n", diag.Printable(st.Path), printable(err))
		}
	}
	fmt.Fprintf(stdout, "packed %d files into %s (%d bytes of site, %d bytes of zip)\n", res.Files, diag.Printable(res.Out), res.Size, res.Zip)
	return 0
}

// publishUsageExit maps a flag parsing error to an exit code: 0 for -h, 2 otherwise.
func publishUsageExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// openState opens the build-state folder of the site whose output is from:
// the .loa/ beside it (ROOT/public -> ROOT/.loa), else ./.loa. Nil when
// there is none.
func openState(from string) *state.Dir {
	if abs, err := filepath.Abs(from); err == nil {
		if st, err := state.Open(filepath.Join(filepath.Dir(abs), state.DirName)); err == nil {
			return st
		}
	}
	if st, err := state.Open(state.DirName); err == nil {
		return st
	}
	return nil
}

// recordPack records the zip loa pack wrote, so that the next pack may
// replace it (and nothing else).
func recordPack(st *state.Dir, zip string) error {
	f, err := publish.HashFile(os.DirFS(filepath.Dir(zip)), filepath.Base(zip))
	if err != nil {
		return err
	}
	return st.RecordOutput(zip, []publish.File{f})
}
