// Package diag holds positioned diagnostics: a Position in a source file, an
// Error that starts with "file:line:col:" and unwraps to its cause, and a List
// that collects errors from parallel work and prints them sorted.
//
// Every error a loa user sees goes through this package, so that an editor can
// always tell which file and line to fix. Printable escapes the characters
// that could act on a terminal; an Error's text is always escaped, so a file
// name or a quoted title cannot clear the screen or write the clipboard.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Position is a place in a source file. Line and Col are 1-based; Col counts
// characters (Unicode code points), as editors show them for Vietnamese
// text ("Điều" is 4 columns, not 6 bytes): every position loa prints uses
// this one unit. LineCol turns a byte offset into it. A zero Line means
// "the whole file".
type Position struct {
	File string // slash-separated path relative to the site root, e.g. "content/huong-dan/a.md"
	Line int
	Col  int
}

// String formats the position as "file:line:col". Missing parts default to 1
// so every message keeps the same shape that editors and tools can parse.
func (p Position) String() string {
	line, col := p.Line, p.Col
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return fmt.Sprintf("%s:%d:%d", p.File, line, col)
}

// Severity tells errors from warnings.
type Severity int

const (
	SevError Severity = iota
	SevWarning
)

// Error is a diagnostic at a position. It wraps its cause.
type Error struct {
	Pos      Position
	Msg      string
	Err      error // the cause, may be nil
	Severity Severity

	causeInMsg bool // Msg already ends with the cause's text (made by Errorf with %w)
}

// Error formats the diagnostic as one line, "file:line:col: message" (with
// "warning: " before the message of a warning). The file name and the
// message go through Printable, so the line is safe to print to a terminal
// whatever the file's name or the text it quotes.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(Printable(e.Pos.String()))
	b.WriteString(": ")
	if e.Severity == SevWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(Printable(e.Message()))
	return b.String()
}

// Message is the text of the diagnostic without its position and severity,
// and not escaped: for output that escapes by itself (JSON, the preview's
// overlay, which sets textContent).
func (e *Error) Message() string {
	if e.Err == nil || e.causeInMsg {
		return e.Msg
	}
	if e.Msg == "" {
		return e.Err.Error()
	}
	return e.Msg + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error at pos with a formatted message. If the last
// argument is an error and the format ends in ": %w", it becomes the cause.
func Errorf(pos Position, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	cause := errors.Unwrap(err)
	return &Error{Pos: pos, Msg: err.Error(), Err: cause, Severity: SevError, causeInMsg: cause != nil}
}

// Wrap returns an *Error at pos whose message is msg and whose cause is err.
func Wrap(pos Position, msg string, err error) *Error {
	return &Error{Pos: pos, Msg: msg, Err: err}
}

// Warnf returns a warning at pos.
func Warnf(pos Position, format string, args ...any) *Error {
	e := Errorf(pos, format, args...)
	e.Severity = SevWarning
	return e
}

// List collects diagnostics. It is safe for concurrent use; the zero value is
// ready. Sorted returns them in a stable order independent of scheduling.
type List struct {
	mu   sync.Mutex
	errs []*Error
}

// Add records err. A plain error without position is kept with an empty file
// name; nil is ignored. An error that is itself a List is flattened.
func (l *List) Add(err error) {
	if err == nil {
		return
	}
	var inner *List
	if errors.As(err, &inner) && inner != l {
		for _, e := range inner.Sorted() {
			l.Add(e)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Msg: err.Error(), Err: err}
	}
	l.mu.Lock()
	l.errs = append(l.errs, e)
	l.mu.Unlock()
}

// Len returns the number of diagnostics of any severity.
func (l *List) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.errs)
}

// HasErrors reports whether any diagnostic is an error (not a warning).
func (l *List) HasErrors() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.errs {
		if e.Severity == SevError {
			return true
		}
	}
	return false
}

// Sorted returns the diagnostics sorted by file, line, column, then message,
// with exact duplicates removed.
func (l *List) Sorted() []*Error {
	l.mu.Lock()
	out := append([]*Error(nil), l.errs...)
	l.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Error() < b.Error()
	})
	dedup := out[:0]
	for i, e := range out {
		if i > 0 && e.Error() == out[i-1].Error() {
			continue
		}
		dedup = append(dedup, e)
	}
	return dedup
}

// Errors returns only the error-severity diagnostics, sorted.
func (l *List) Errors() []*Error {
	var out []*Error
	for _, e := range l.Sorted() {
		if e.Severity == SevError {
			out = append(out, e)
		}
	}
	return out
}

// Err returns the list as an error if it holds any error-severity diagnostic,
// or nil.
func (l *List) Err() error {
	if l == nil || !l.HasErrors() {
		return nil
	}
	return l
}

// Error joins the sorted diagnostics, one per line.
func (l *List) Error() string {
	var b strings.Builder
	for i, e := range l.Sorted() {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// LineCol converts a byte offset in src to a 1-based line and column.
func LineCol(src []byte, offset int) (line, col int) {
	if offset > len(src) {
		offset = len(src)
	}
	line = 1
	last := -1
	for i := 0; i < offset; i++ {
		if src[i] == '\n' {
			line++
			last = i
		}
	}
	return line, utf8.RuneCount(src[last+1:offset]) + 1
}
