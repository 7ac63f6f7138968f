package markdown

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Limits bound the work one page can cause, so a broken or hostile file
// stops the build with a clear message in seconds instead of exhausting
// memory. They are far above what real pages need: the longest page of this
// site (the CRPD, about 68 KB of Markdown, no tables, nesting depth 3) uses
// a few percent of each.
const (
	// MaxPageBytes is the largest Markdown body accepted: 4 MiB, about 60
	// times the longest convention.
	MaxPageBytes = 4 << 20
	// MaxTableColumns is the most columns a table may have. GitHub tables
	// give every row as many cells as the header has columns, so a header
	// of thousands of columns multiplies every row.
	MaxTableColumns = 64
	// MaxTableCells bounds columns × rows of one table.
	MaxTableCells = 100_000
	// MaxNesting is the deepest nesting of block quotes and lists.
	MaxNesting = 32
)

// LimitError is a page that exceeds a limit, at the line and column
// (1-based, counted in characters) of src where it does.
type LimitError struct {
	Line, Col int
	Msg       string
}

func (e *LimitError) Error() string { return e.Msg }

// CheckLimits scans src for what would make rendering it unreasonably
// costly: its size, tables with too many columns or cells, and block
// nesting deeper than MaxNesting. It runs before goldmark, in time linear in
// len(src), and returns the first problem found.
func CheckLimits(src []byte) *LimitError {
	if len(src) > MaxPageBytes {
		return &LimitError{Line: 1, Col: 1, Msg: fmt.Sprintf("the page is %d bytes, more than the %d a page may have: split it into several pages", len(src), MaxPageBytes)}
	}
	lines := bytes.Split(src, []byte("\n"))
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if depth, col := nesting(line); depth > MaxNesting {
			return &LimitError{Line: i + 1, Col: col, Msg: fmt.Sprintf("block quotes and lists nested %d deep here, more than %d: flatten the structure", depth, MaxNesting)}
		}
		cols := delimiterColumns(line)
		if cols == 0 || i == 0 {
			continue
		}
		if cols > MaxTableColumns {
			return &LimitError{Line: i, Col: 1, Msg: fmt.Sprintf("this table has %d columns, more than %d: split it into smaller tables", cols, MaxTableColumns)}
		}
		rows := 1
		for j := i + 1; j < len(lines) && len(bytes.TrimSpace(lines[j])) > 0; j++ {
			rows++
		}
		if cols*rows > MaxTableCells {
			return &LimitError{Line: i, Col: 1, Msg: fmt.Sprintf("this table has %d rows of %d columns, more than %d cells: split it into smaller tables", rows, cols, MaxTableCells)}
		}
	}
	return nil
}

// nesting returns how many block quote markers and list bullets open the
// line ("> > - * text"), and the character column where the count passed
// MaxNesting (1 if it did not). Indentation alone does not count: nesting
// lists by indentation needs ever longer lines, which MaxPageBytes bounds.
func nesting(line []byte) (depth, col int) {
	col = 1
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			continue
		case c == '>':
			depth++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
		default:
			return depth, col
		}
		if depth == MaxNesting+1 {
			col = utf8.RuneCount(line[:i]) + 1
		}
	}
	return depth, col
}

// delimiterColumns returns the number of columns of a GitHub table
// delimiter row ("| --- | :-: |"), or 0 if line is not one.
func delimiterColumns(line []byte) int {
	t := bytes.TrimSpace(line)
	if len(t) == 0 || bytes.IndexByte(t, '-') < 0 {
		return 0
	}
	t = bytes.TrimPrefix(bytes.TrimSuffix(t, []byte("|")), []byte("|"))
	cells := bytes.Split(t, []byte("|"))
	for _, c := range cells {
		c = bytes.TrimSpace(c)
		c = bytes.TrimSuffix(bytes.TrimPrefix(c, []byte(":")), []byte(":"))
		if len(c) == 0 || len(bytes.Trim(c, "-")) != 0 {
			return 0
		}
	}
	if len(cells) < 2 && !bytes.Contains(bytes.TrimSpace(line), []byte("|")) {
		return 0 // "---" alone is a thematic break or a heading underline
	}
	return len(cells)
}
