// Package output writes a built site to disk atomically.
//
// Commit writes every file into a fresh sibling folder of the destination
// (".public.tmp-*"), hard-linking the files whose content did not change
// from the destination instead of writing them (WriteTreeFrom), lets the
// caller add more (the search index, the manifest), then swaps the folder in
// place of the destination. If anything
// fails, the fresh folder is removed and the destination is left exactly as it
// was. On Linux the swap is a single atomic renameat2(RENAME_EXCHANGE); on
// other systems two renames.
package output

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Files is a site in memory: slash-separated output paths to contents.
type Files map[string][]byte

// Paths returns the output paths sorted.
func (f Files) Paths() []string {
	out := make([]string, 0, len(f))
	for p := range f {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Temp makes and forgets the temporary folder Commit writes into. The zero
// value uses os.MkdirTemp; the builder records the folder in the build state
// first, so that the next build can remove what a killed one left.
type Temp struct {
	Mkdir func(dest string) (string, error) // a new empty folder next to dest
	Done  func(dir string)                  // called once dir is gone
}

// Commit writes files to a fresh folder next to dest, calls finish (if not
// nil) with that folder so more can be written into it, and then swaps it in
// for dest. The caller has checked that dest may be replaced.
func Commit(ctx context.Context, dest string, files Files, temp Temp, finish func(dir string) error) error {
	dest = filepath.Clean(dest)
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("cannot create output folder: %w", err)
	}
	if temp.Mkdir == nil {
		temp.Mkdir = func(dest string) (string, error) {
			return os.MkdirTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp-")
		}
	}
	tmp, err := temp.Mkdir(dest)
	if err != nil {
		return fmt.Errorf("cannot create a temporary output folder next to %s: %w", dest, err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
		if temp.Done != nil {
			temp.Done(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := WriteTreeFrom(ctx, tmp, files, dest); err != nil {
		return err
	}
	if finish != nil {
		if err := finish(tmp); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := swap(tmp, dest); err != nil {
		return fmt.Errorf("cannot put the new site in place of %s: %w", dest, err)
	}
	ok = true
	// After a swap, tmp holds the previous output.
	return os.RemoveAll(tmp)
}

// WriteTree writes files below dir, creating folders as needed. Folders are
// made first, in order; files are then written by a few goroutines, since
// writing many small files is bound by system calls, not by the disk.
func WriteTree(ctx context.Context, dir string, files Files) error {
	return WriteTreeFrom(ctx, dir, files, "")
}

// WriteTreeFrom is WriteTree, except that a file whose content equals that
// of the regular file at the same path below prev (read and compared, never
// trusted) is hard-linked from it instead of written, as rsync's
// --link-dest does. A rebuild after a one-line edit then creates only the
// files that changed (creating files was 30% of such a rebuild of the
// generated 10,000-page site), and the others keep their modification time,
// so a copy to the portal by date sends only what changed. Where links
// cannot be made (another file system, FAT), files are written. prev ""
// links nothing.
func WriteTreeFrom(ctx context.Context, dir string, files Files, prev string) error {
	paths := files.Paths()
	made := map[string]bool{}
	for _, p := range paths {
		if strings.HasPrefix(p, "/") || strings.Contains("/"+p+"/", "/../") {
			return fmt.Errorf("refusing to write outside the output folder: %s", p)
		}
		d := filepath.Dir(filepath.Join(dir, filepath.FromSlash(p)))
		if !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
	}
	work := make(chan string)
	errc := make(chan error, 1)
	var noLinks atomic.Bool // a link failed: write every file
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				name, old := filepath.Join(dir, filepath.FromSlash(p)), ""
				if prev != "" && !noLinks.Load() {
					old = filepath.Join(prev, filepath.FromSlash(p))
				}
				same, linked, err := linkOrWrite(name, files[p], old)
				if same && !linked {
					noLinks.Store(true) // the same content, and yet no link
				}
				if err != nil {
					select {
					case errc <- err:
					default:
					}
				}
			}
		}()
	}
	var err error
	for _, p := range paths {
		if err = ctx.Err(); err != nil {
			break
		}
		if len(errc) > 0 {
			break
		}
		work <- p
	}
	close(work)
	wg.Wait()
	if err != nil {
		return err
	}
	select {
	case err := <-errc:
		return err
	default:
	}
	return nil
}

// LinkOrWrite makes name, which must not exist, hold data: a hard link to
// prev when prev ("": none) is a regular file that holds exactly data (read
// and compared), else a new file. It reports whether it linked.
func LinkOrWrite(name string, data []byte, prev string) (bool, error) {
	_, linked, err := linkOrWrite(name, data, prev)
	return linked, err
}

// linkOrWrite is LinkOrWrite, also reporting whether prev held data.
func linkOrWrite(name string, data []byte, prev string) (same, linked bool, err error) {
	same = prev != "" && sameContent(prev, data)
	if same && os.Link(prev, name) == nil {
		return true, true, nil
	}
	return same, false, os.WriteFile(name, data, 0o644)
}

// sameContent reports whether name is a regular file (not a link) that
// holds exactly data.
func sameContent(name string, data []byte) bool {
	fi, err := os.Lstat(name)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	b, err := os.ReadFile(name)
	return err == nil && bytes.Equal(b, data)
}

func swap(tmp, dest string) error {
	if _, err := os.Lstat(dest); os.IsNotExist(err) {
		if err := os.Rename(tmp, dest); err != nil {
			return err
		}
		// Recreate tmp so the caller's cleanup has something to remove.
		return os.Mkdir(tmp, 0o755)
	}
	if err := exchange(tmp, dest); err == nil {
		return nil
	}
	old := tmp + ".old"
	if err := os.Rename(dest, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.Rename(old, dest)
		return err
	}
	return os.Rename(old, tmp)
}

// WriteFile writes one file atomically: into a temporary file in the same
// folder (created if needed), synced, then renamed over name, so a reader or
// a build running at the same time sees the old file or the new one, never
// half of one.
func WriteFile(name string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	return err
}
