package diag

import (
	"errors"
	"io/fs"
	"strings"
	"sync"
	"testing"
)

func TestListSortedAndDeduplicated(t *testing.T) {
	var l List
	var wg sync.WaitGroup
	for _, p := range []Position{{"b.md", 2, 1}, {"a.md", 10, 3}, {"a.md", 2, 5}, {"a.md", 2, 5}} {
		wg.Add(1)
		go func() { defer wg.Done(); l.Add(Errorf(p, "bad")) }()
	}
	wg.Wait()
	l.Add(Warnf(Position{"a.md", 1, 1}, "careful"))
	want := "a.md:1:1: warning: careful\na.md:2:5: bad\na.md:10:3: bad\nb.md:2:1: bad"
	if l.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", l.Error(), want)
	}
	if len(l.Errors()) != 3 || l.Err() == nil {
		t.Errorf("errors: %d", len(l.Errors()))
	}
}

func TestWrapUnwraps(t *testing.T) {
	cause := &fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission}
	e := Wrap(Position{File: "content/x.md"}, "cannot read file", cause)
	if e.Error() != "content/x.md:1:1: cannot read file: open x: permission denied" || !errors.Is(e, fs.ErrPermission) {
		t.Errorf("got %q", e.Error())
	}
	e2 := Errorf(Position{File: "f", Line: 3, Col: 2}, "reading: %w", cause)
	if e2.Error() != "f:3:2: reading: open x: permission denied" || !errors.Is(e2, fs.ErrPermission) {
		t.Errorf("got %q (cause printed twice?)", e2.Error())
	}
}

func TestLineCol(t *testing.T) {
	src := []byte("ab\ncd\n")
	for _, tc := range []struct{ off, line, col int }{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {5, 2, 3}} {
		if l, c := LineCol(src, tc.off); l != tc.line || c != tc.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tc.off, l, c, tc.line, tc.col)
		}
	}
}

func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"content/huong-dan/quyền-trẻ-em.md", "content/huong-dan/quyền-trẻ-em.md"},
		{`C:\x`, `C:\x`},
		{"\x1b]52;c;SGVsbG8=\x07Evil\x1b[2J", `\x1b]52;c;SGVsbG8=\x07Evil\x1b[2J`},
		{"a\nb\tc\rd\x00e\x7f", `a\nb\tc\rd\x00e\x7f`},
		{"\u009b31m \u0085", `\u009b31m \u0085`},
		{"abc\u202egpj.exe \u2066x\u2069 \u202a", `abc\u202egpj.exe \u2066x\u2069 \u202a`},
		{"R\xe9sum\xe9 \x9b \xff", `R\xe9sum\xe9 \x9b \xff`},
		{"\u200e\u2028 ok", "\u200e\u2028 ok"}, // marks and separators do not reorder or control
	} {
		got := Printable(tc.in)
		if got != tc.want {
			t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if again := Printable(got); again != got {
			t.Errorf("Printable is not idempotent on %q: %q", got, again)
		}
	}
}

// TestErrorPrintable: a diagnostic's text never holds a control character,
// whatever its file is called or its message quotes; Message keeps the
// text as it is, for JSON.
func TestErrorPrintable(t *testing.T) {
	e := Errorf(Position{File: "content/a\x1b[2J.md", Line: 2, Col: 1}, "title %s", "\x1b]52;c;SGVsbG8=\x07\n")
	want := `content/a\x1b[2J.md:2:1: title \x1b]52;c;SGVsbG8=\x07\n`
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	if e.Message() != "title \x1b]52;c;SGVsbG8=\x07\n" {
		t.Errorf("Message() = %q", e.Message())
	}
	var l List
	l.Add(e)
	l.Add(Warnf(Position{File: "b\u202e.md"}, "careful"))
	if want := `b\u202e.md:1:1: warning: careful` + "\n" + want; l.Error() != want {
		t.Errorf("List.Error() = %q, want %q", l.Error(), want)
	}
	// A diagnostic wrapping another is escaped once.
	outer := Wrap(Position{File: "content/x.md", Line: 1, Col: 1}, "layout", e)
	if want := `content/x.md:1:1: layout: ` + want; outer.Error() != want {
		t.Errorf("wrapped: %q, want %q", outer.Error(), want)
	}
}

// TestLineColCharacters: columns count characters, not bytes ("Điều" is
// four columns), the unit of every position loa prints.
func TestLineColCharacters(t *testing.T) {
	src := []byte("x\nĐiều 1: bạo lực\n")
	off := strings.Index(string(src), "bạo")
	if l, c := LineCol(src, off); l != 2 || c != 9 {
		t.Errorf("LineCol = %d:%d, want 2:9", l, c)
	}
}
