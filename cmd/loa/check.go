package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"loa/internal/check"
	"loa/internal/diag"
)

// runCheck reports problems before publishing: errors (exit status 1) and
// warnings, one "file:line:col: message" per line, sorted.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loa check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "site root folder (holds loa.yaml)")
	asJSON := fs.Bool("json", false, "print a JSON array of {file, line, col, severity, message}")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "loa check: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if _, err := os.Stat(*root); err != nil {
		fmt.Fprintf(stderr, "loa check: %s\n", printable(err))
		return 2
	}
	ds, err := check.Run(ctx, check.Options{FS: os.DirFS(*root)})
	if err != nil {
		fmt.Fprintf(stderr, "loa check: %s\n", printable(err))
		return 1
	}
	if *asJSON {
		writeCheckJSON(stdout, ds)
	} else {
		errs, warns := 0, 0
		for _, d := range ds {
			fmt.Fprintln(stdout, d)
			if d.Severity == diag.SevError {
				errs++
			} else {
				warns++
			}
		}
		fmt.Fprintf(stderr, "loa check: %d errors, %d warnings\n", errs, warns)
	}
	if check.HasErrors(ds) {
		return 1
	}
	return 0
}

type checkItem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"` // "error" or "warning"
	Message  string `json:"message"`
}

func writeCheckJSON(w io.Writer, ds []*diag.Error) {
	items := []checkItem{}
	for _, d := range ds {
		sev := "error"
		if d.Severity == diag.SevWarning {
			sev = "warning"
		}
		// The message as it is: JSON escapes what a terminal must not get.
		items = append(items, checkItem{File: d.Pos.File, Line: max(d.Pos.Line, 1), Col: max(d.Pos.Col, 1), Severity: sev, Message: d.Message()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(items)
}
