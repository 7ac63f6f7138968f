package main

import (
	"fmt"
	"io"

	"loa/internal/diag"
)

// printDiag prints an error for a person at a terminal, one line per
// problem: a diag.List one sorted line per diagnostic, an errors.Join one
// line per error. Every line goes through diag.Printable, so a file name or
// a title quoted in a message cannot act on the terminal.
func printDiag(w io.Writer, err error) {
	switch e := err.(type) {
	case nil:
	case *diag.List:
		for _, d := range e.Sorted() {
			fmt.Fprintln(w, d) // diag.Error escapes itself
		}
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			printDiag(w, inner)
		}
	default:
		fmt.Fprintln(w, diag.Printable(err.Error()))
	}
}

// printable is diag.Printable of an error's text, for an error printed
// within a line ("loa check: %s").
func printable(err error) string { return diag.Printable(err.Error()) }
