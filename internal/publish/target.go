package publish

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
)

// Names publish keeps in the target folder. They start with a dot so that
// most servers do not list them.
const (
	stateName   = ".loa-published.json"  // manifest of the last complete publish
	journalName = ".loa-publish.journal" // what an unfinished publish was doing
	tempSuffix  = ".loa-tmp"             // ".name.loa-tmp" beside the file being written
	journalHead = "loa-publish-journal 1"
)

// isTemp reports whether name is one of publish's temporary files; a
// leftover one is from an interrupted run and is removed.
func isTemp(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(base, ".") && strings.HasSuffix(base, tempSuffix) && len(base) > 1+len(tempSuffix)
}

func tempName(name string) string {
	return path.Join(path.Dir(name), "."+path.Base(name)+tempSuffix)
}

// target is the folder publish writes into. os.Root implements it for real
// folders, which also keeps every operation inside the folder: a symlink or
// a ".." in a damaged manifest cannot reach outside. Tests wrap it to inject
// faults.
type target interface {
	FS() fs.FS
	Lstat(name string) (fs.FileInfo, error)
	OpenFile(name string, flag int, perm fs.FileMode) (file, error)
	MkdirAll(name string, perm fs.FileMode) error
	Rename(oldname, newname string) error
	Remove(name string) error
}

// file is an open file in the target.
type file interface {
	io.Writer
	io.Closer
	Sync() error
	Truncate(size int64) error
}

type rootTarget struct{ *os.Root }

func (r rootTarget) OpenFile(name string, flag int, perm fs.FileMode) (file, error) {
	f, err := r.Root.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err // not a typed nil
	}
	return f, nil
}

// readState reads the manifest of the last publish; a folder never
// published to has none.
func readState(t target) (*Manifest, error) {
	data, err := fs.ReadFile(t.FS(), stateName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ReadManifest(bytes.NewReader(data))
}

// journal is the record of unfinished publishes: every "w" line names a file
// a run was about to write (with the content it was writing), every "d" line
// one that it finished. Lines are appended, never rewritten.
type journal struct {
	intents []File          // in order
	done    map[string]bool // path -> the latest intent for it was completed
	valid   int64           // length of the complete lines; a kill can leave half a line after it
	exists  bool
}

func readJournal(t target) (*journal, error) {
	j := &journal{done: map[string]bool{}}
	data, err := fs.ReadFile(t.FS(), journalName)
	if errors.Is(err, fs.ErrNotExist) {
		return j, nil
	}
	if err != nil {
		return nil, err
	}
	j.exists = true
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		j.valid = int64(i + 1)
	}
	sc := bufio.NewScanner(bytes.NewReader(data[:j.valid]))
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if text != journalHead {
				if strings.HasPrefix(text, "loa-publish-journal ") {
					return nil, fmt.Errorf("written by a newer loa (%q; this loa reads %q)", text, journalHead)
				}
				return nil, fmt.Errorf("line 1: not a loa publish journal")
			}
			continue
		}
		kind, rest, _ := strings.Cut(text, " ")
		switch kind {
		case "w":
			fields := strings.SplitN(rest, " ", 3)
			if len(fields) != 3 {
				return nil, fmt.Errorf("line %d: damaged", line)
			}
			size, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil || size < 0 || !validHash(fields[0]) || checkPath(fields[2]) != nil {
				return nil, fmt.Errorf("line %d: damaged", line)
			}
			j.intents = append(j.intents, File{Path: fields[2], Size: size, SHA256: fields[0]})
			j.done[fields[2]] = false
		case "d":
			if _, ok := j.done[rest]; !ok {
				return nil, fmt.Errorf("line %d: damaged", line)
			}
			j.done[rest] = true
		default:
			return nil, fmt.Errorf("line %d: damaged", line)
		}
	}
	return j, nil
}

// owned merges the last complete publish with the journal of unfinished
// ones: files an interrupted run finished are loa's with their new content;
// files it meant to write are loa's with content unknown (SHA256 ""), since
// the run may have stopped before or after replacing them.
func owned(state *Manifest, j *journal) map[string]File {
	own := map[string]File{}
	if state != nil {
		for _, f := range state.Files {
			own[f.Path] = f
		}
	}
	last := map[string]File{}
	for _, f := range j.intents {
		last[f.Path] = f
	}
	for name, f := range last {
		if j.done[name] {
			own[name] = f
		} else {
			own[name] = File{Path: name, Size: -1}
		}
	}
	return own
}

// journalWriter appends to the journal.
type journalWriter struct {
	f file
}

func openJournal(t target, j *journal) (*journalWriter, error) {
	f, err := t.OpenFile(journalName, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o666)
	if err != nil {
		return nil, err
	}
	jw := &journalWriter{f: f}
	if !j.exists || j.valid == 0 {
		if err := f.Truncate(0); err != nil {
			f.Close()
			return nil, err
		}
		if _, err := io.WriteString(f, journalHead+"\n"); err != nil {
			f.Close()
			return nil, err
		}
	} else if err := f.Truncate(j.valid); err != nil { // drop half a line left by a kill
		f.Close()
		return nil, err
	}
	return jw, nil
}

// intend records the files about to be written and syncs, so that the record
// is on disk before any of them changes.
func (jw *journalWriter) intend(files []File) error {
	var b bytes.Buffer
	for _, f := range files {
		fmt.Fprintf(&b, "w %s %d %s\n", f.SHA256, f.Size, f.Path)
	}
	if _, err := jw.f.Write(b.Bytes()); err != nil {
		return err
	}
	return jw.f.Sync()
}

// finished records one written file. It is not synced: losing the line only
// means the next run copies that file again.
func (jw *journalWriter) finished(name string) error {
	_, err := io.WriteString(jw.f, "d "+name+"\n")
	return err
}

func (jw *journalWriter) Close() error { return jw.f.Close() }

// writeAtomic writes data to name through a synced temporary file renamed
// over it.
func writeAtomic(t target, name string, data []byte) error {
	tmp := tempName(name)
	f, err := t.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = t.Rename(tmp, name)
	}
	if err != nil {
		t.Remove(tmp)
	}
	return err
}
