package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"

	"loa/internal/serve"
)

// runServe previews the site with live reload until Ctrl-C.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loa serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "site root folder (holds loa.yaml)")
	bind := fs.String("bind", "127.0.0.1", "address to listen on; anything but loopback makes the preview reachable from other machines")
	port := fs.Int("port", 1313, "port to listen on (0 picks a free one)")
	drafts := fs.Bool("drafts", false, "include draft pages")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	defer cpuProfile(stderr)()
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "loa serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	idx, err := serve.NewSearchIndex()
	if err != nil {
		fmt.Fprintf(stderr, "loa serve: %s\n", printable(err))
		return 1
	}
	defer idx.Close()
	srv, err := serve.New(serve.Config{
		Root:   *root,
		Addr:   net.JoinHostPort(*bind, strconv.Itoa(*port)),
		Drafts: *drafts,
		Log:    stderr,
		Search: idx,
	})
	if err != nil {
		fmt.Fprintf(stderr, "loa serve: %s\n", printable(err))
		return 1
	}
	if !srv.Loopback() {
		fmt.Fprintf(stderr, "loa serve: WARNING: listening on %s: the preview, drafts included, is reachable from other machines on the network.\n", srv.Addr())
		fmt.Fprintf(stderr, "loa serve: CẢNH BÁO: máy khác trong mạng cũng xem được bản xem trước (kể cả bài nháp). Bỏ --bind để chỉ xem trên máy này.\n")
	}
	fmt.Fprintf(stdout, "loa: xem trước tại %s (preview at %s) — nhấn Ctrl-C để dừng\n", srv.URL(), srv.URL())
	if err := srv.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "loa serve: %s\n", printable(err))
		return 1
	}
	fmt.Fprintln(stdout, "loa: stopped")
	return 0
}
