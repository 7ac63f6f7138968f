package publish

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// A progress bar appears only once a run has taken longer than
// progressDelay, so short runs print nothing but their summary.
const (
	progressDelay = 500 * time.Millisecond
	progressEvery = 100 * time.Millisecond
	progressWidth = 30
)

// IsTerminal reports whether w is a terminal (a character device), where a
// progress bar that redraws itself makes sense.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

type progress struct {
	w            io.Writer
	now          func() time.Time
	start, drawn time.Time
	files, nfile int
	done, total  int64
	shown        bool
}

func newProgress(w io.Writer, now func() time.Time, nfiles int, total int64) *progress {
	if now == nil {
		now = time.Now
	}
	return &progress{w: w, now: now, start: now(), nfile: nfiles, total: total}
}

func (p *progress) add(n int64) {
	if p.w == nil {
		return
	}
	p.files++
	p.done += n
	t := p.now()
	if t.Sub(p.start) < progressDelay || (p.shown && t.Sub(p.drawn) < progressEvery) {
		return
	}
	p.drawn, p.shown = t, true
	frac := 1.0
	if p.total > 0 {
		frac = float64(p.done) / float64(p.total)
	}
	fill := int(frac * progressWidth)
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d/%d files  %s/%s ",
		strings.Repeat("#", fill), strings.Repeat(" ", progressWidth-fill), frac*100,
		p.files, p.nfile, formatBytes(p.done), formatBytes(p.total))
}

// finish clears the bar so the summary starts on a clean line.
func (p *progress) finish() {
	if p.w != nil && p.shown {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", progressWidth+60))
		p.shown = false
	}
}
