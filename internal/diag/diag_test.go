package diag

import (
	"errors"
	"io/fs"
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
