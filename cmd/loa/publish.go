package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"loa/internal/publish"
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
	res, err := publish.Publish(ctx, opts)
	if res != nil {
		for _, w := range res.Warnings {
			fmt.Fprintln(stderr, "warning:", w)
		}
	}
	if err != nil {
		if res != nil && opts.DryRun {
			res.WriteSummary(stdout, opts.To, true)
		}
		fmt.Fprintln(stderr, err)
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
	res, err := publish.Pack(ctx, opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "packed %d files into %s (%d bytes of site, %d bytes of zip)\n", res.Files, res.Out, res.Size, res.Zip)
	return 0
}

// publishUsageExit maps a flag parsing error to an exit code: 0 for -h, 2 otherwise.
func publishUsageExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
