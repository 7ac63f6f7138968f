// Command loa builds the district's human-rights outreach site: Markdown
// content to a static site that works from any web folder and from disk.
//
// Usage:
//
//	loa build [--drafts] [--root DIR] [--out DIR]   build the site into public/
//	loa serve [--bind ADDR] [--port N] [--drafts]   preview with live reload
//	loa new guidance "Tiêu đề" | loa new page PATH  start a page
//	loa check [--json]                               find problems before publishing
//	loa import convention FILE --code C --lang L     import a convention text
//	loa search [--json] [--lang vi|en] [--limit N] QUERY
//	loa publish --to DIR [--dry-run]                 copy the built site to a folder
//	loa pack [--out FILE]                            zip the built site for offline use
//	loa help | loa version
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at link time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"build", "build the site into public/", runBuild},
		{"serve", "preview the site with live reload", runServe},
		{"new", "start a new page: loa new guidance \"Tiêu đề\"", runNew},
		{"check", "report problems before publishing", runCheck},
		{"import", "import a convention text: loa import convention FILE --code CODE --lang LANG", runImport},
		{"search", "search the last build: loa search QUERY", runSearch},
		{"publish", "copy the built site to a folder: loa publish --to DIR", runPublish},
		{"pack", "zip the built site for offline use", runPack},
		{"version", "print the version", runVersion},
		{"help", "show this help", nil},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] && c.run != nil {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "loa: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "loa builds the human-rights outreach site from content/, layouts/ and static/.")
	fmt.Fprintln(w, "\nUsage: loa <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"loa <command> -h\" for the flags of a command.")
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "loa %s\n", version)
	return 0
}
