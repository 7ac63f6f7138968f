package publish

import (
	"errors"
	"io/fs"
	"loa/internal/diag"
	"os"
	"strconv"
	"syscall"
	"unicode/utf8"
)

// Error is a problem with a file or folder, for a person to fix. It reads
// "path: what is wrong: cause; what to do" and unwraps to the cause. The
// text is safe to print on a terminal: see printable.
type Error struct {
	Path    string // the file or folder, as the user named it
	Problem string // what is wrong, e.g. "cannot write"
	Fix     string // what to do about it; may be empty
	Err     error  // the cause; may be nil
}

func (e *Error) Error() string {
	s := printable(e.Path) + ": " + e.Problem
	if e.Err != nil {
		s += ": " + causeText(e.Err)
	}
	if e.Fix != "" {
		s += "; " + e.Fix
	}
	return escapeText(s)
}

func (e *Error) Unwrap() error { return e.Err }

// causeText drops the operation and path from an fs.PathError: the Error
// already names the path, as the user knows it.
func causeText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// ioError turns a failed write into an Error whose advice fits the cause.
func ioError(where, problem string, err error, rerun string) *Error {
	e := &Error{Path: where, Problem: problem, Err: err}
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		e.Fix = "the disk is full: free some space there, then " + rerun
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		e.Fix = "loa may not write there: ask for write access (or choose another folder), then " + rerun
	default:
		e.Fix = rerun
	}
	return e
}

// printable returns a path as it is, or quoted the way Go quotes strings
// ("a\x1b]52;…") when it holds a character that is not printable: a control
// character (ESC, BEL, a newline), a bidirectional override, a byte that is
// not UTF-8. Names in a folder are chosen by whoever can write there, and a
// name printed raw could move the cursor, rewrite the lines above, or set the
// terminal's clipboard (OSC 52). Quoting only when needed keeps ordinary
// names, Vietnamese ones included, readable.
func printable(name string) string {
	if needsEscape(name) {
		return strconv.Quote(name)
	}
	return name
}

// escapeText escapes, Go style (\x1b, \n, \u202e), each character of s
// that is not printable, for a message that may hold a name loa did not
// choose. Paths in messages are already printable; this is the last guard.
func escapeText(s string) string { return diag.Printable(s) }

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || !strconv.IsPrint(r) {
			return true
		}
		i += n
	}
	return false
}
