package publish

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names publish keeps in the target folder. They start with a dot so that
// most servers do not list them. None of them is ever published, counted or
// removed as a file of the site.
const (
	stateName    = ".loa-published.json"        // manifest of the last complete publish
	journalName  = ".loa-publish.journal"       // what an unfinished publish was doing
	lockName     = ".loa-publish.lock"          // held while a publish runs
	takeoverName = ".loa-publish.lock-takeover" // held while a publish replaces the lock of a dead one
	tempSuffix   = ".loa-tmp"                   // ".name.<random>.loa-tmp" beside the file being written
	journalHead  = "loa-publish-journal 2"
	journalHead1 = "loa-publish-journal 1" // no temporary names; still read
)

// reserved reports whether name is one publish keeps for itself at the top
// of the folder.
func reserved(name string) bool {
	return name == stateName || name == journalName || name == lockName || name == takeoverName
}

// isTemp reports whether name looks like one of publish's temporary files.
// Looks prove nothing: a file is removed as a leftover only if a journal
// recorded its exact name (see journal).
func isTemp(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(base, ".") && strings.HasSuffix(base, tempSuffix) && len(base) > 1+len(tempSuffix)
}

// newTempName returns a temporary name beside name that nobody can guess,
// so that no file a person made is ever taken for one (it is created with
// O_EXCL, too). Long names are shortened to stay within file name limits.
func newTempName(name string) string {
	var b [8]byte
	rand.Read(b[:]) // never fails (crypto/rand crashes the program rather than return an error)
	base := path.Base(name)
	if len(base) > 64 {
		cut := 64
		for cut > 0 && !utf8.RuneStart(base[cut]) {
			cut--
		}
		base = base[:cut]
	}
	return path.Join(path.Dir(name), "."+base+"."+hex.EncodeToString(b[:])+tempSuffix)
}

// target is the folder publish writes into. os.Root implements it for real
// folders, which also keeps every operation inside the folder: a symlink or
// a ".." in a damaged manifest cannot reach outside. Tests wrap it to inject
// faults, and to play a folder that ignores case.
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

// ignoresCase reports whether the folder does not tell upper from lower
// case, as on Windows shares, FAT and exFAT sticks and macOS by default: it
// looks up name (an existing entry) with the case of its letters flipped and
// checks whether that finds the same file. Nothing is created, so a dry run
// can ask too. A name without letters tells nothing; then the answer is no.
func ignoresCase(t target, name string) bool {
	flipped := strings.Map(func(r rune) rune {
		if unicode.IsUpper(r) {
			return unicode.ToLower(r)
		}
		return unicode.ToUpper(r)
	}, name)
	if flipped == name {
		return false
	}
	a, err := t.Lstat(name)
	if err != nil {
		return false
	}
	b, err := t.Lstat(flipped)
	return err == nil && os.SameFile(a, b)
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

// journal is the record of unfinished publishes. Lines are appended, never
// rewritten:
//
//	w <sha256> <size> <path>   a run is about to write this content at path
//	t <name>                   a run may create the temporary file name
//	d <path>                   the latest "w" for path is done
//
// A "w" line is a claim, not a proof: the file at path is loa's only if its
// content is the one named (or one a complete publish recorded). A "t" line
// is written and synced before the file is created, so every temporary file
// an interrupted run leaves is named in the journal, and no other file is
// ever removed as a leftover.
type journal struct {
	intents []intent // in order
	temps   []string // in order, unique
	valid   int64    // length of the complete lines; a kill can leave half a line after it
	exists  bool
}

type intent struct {
	File
	done bool
}

func readJournal(t target) (*journal, error) {
	j := &journal{}
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
	latest := map[string]int{} // path -> index of its latest intent
	seen := map[string]bool{}
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if text != journalHead && text != journalHead1 {
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
			latest[fields[2]] = len(j.intents)
			j.intents = append(j.intents, intent{File: File{Path: fields[2], Size: size, SHA256: fields[0]}})
		case "t":
			if !validTemp(rest) {
				return nil, fmt.Errorf("line %d: damaged", line)
			}
			if !seen[rest] {
				seen[rest] = true
				j.temps = append(j.temps, rest)
			}
		case "d":
			i, ok := latest[rest]
			if !ok {
				return nil, fmt.Errorf("line %d: damaged", line)
			}
			j.intents[i].done = true
		default:
			return nil, fmt.Errorf("line %d: damaged", line)
		}
	}
	return j, nil
}

// validTemp accepts the temporary names a journal may list.
func validTemp(name string) bool {
	if !fs.ValidPath(name) || name == "." || !isTemp(name) {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return false
		}
	}
	return true
}

// owned gathers loa's records: the last complete publish, and every run
// since that the journal tells of. A file an interrupted run finished is
// recorded as written, one it did not as intended; either way the older
// content stays claimed too, since the run may have stopped before or after
// replacing it.
func owned(state *Manifest, j *journal) map[string]*record {
	own := map[string]*record{}
	get := func(name string) *record {
		r := own[name]
		if r == nil {
			r = &record{}
			own[name] = r
		}
		return r
	}
	if state != nil {
		for _, f := range state.Files {
			r := get(f.Path)
			r.written = append(r.written, f)
			r.last = &r.written[len(r.written)-1]
		}
	}
	for _, in := range j.intents {
		r := get(in.Path)
		if in.done {
			r.written = append(r.written, in.File)
			r.last = &r.written[len(r.written)-1]
		} else {
			r.intended = append(r.intended, in.File)
			r.last = nil
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

// intend records the files about to be written and every temporary name
// the run may create, and syncs, so that the record is on disk before any
// of them exists or changes.
func (jw *journalWriter) intend(files []File, temps []string) error {
	var b bytes.Buffer
	for _, f := range files {
		fmt.Fprintf(&b, "w %s %d %s\n", f.SHA256, f.Size, f.Path)
	}
	for _, name := range temps {
		fmt.Fprintf(&b, "t %s\n", name)
	}
	if _, err := jw.f.Write(b.Bytes()); err != nil {
		return err
	}
	return jw.f.Sync()
}

// finished records one written file. It is not synced: losing the line only
// means the next run reads the file to know it is loa's.
func (jw *journalWriter) finished(name string) error {
	_, err := io.WriteString(jw.f, "d "+name+"\n")
	return err
}

func (jw *journalWriter) Close() error { return jw.f.Close() }
