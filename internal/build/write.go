package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"

	"loa/internal/output"
	"loa/internal/publish"
	"loa/internal/search"
	"loa/internal/state"
)

// sources are the folders of a site root that a build reads and an output
// folder must never be or be inside.
func sources() []string { return []string{"content", "layouts", "static", "i18n", "data"} }

// WriteOptions says where Write puts a built site.
type WriteOptions struct {
	Out   string // the output folder, replaced as a whole: ROOT/public by default
	State string // the build-state folder: ROOT/.loa by default
	Root  string // the site root on disk, whose own folders Out must not touch
	// Log receives one-line notices: a build cache that was not used
	// (another version of loa, damaged) and why. Nil discards them.
	Log io.Writer
	// Release lets Write drop the Result's pages and file contents as soon
	// as it no longer needs them (the pages once the search documents are
	// made, the files once written), so that the search index is built in
	// the memory they took: on the generated 10,000-page site the output
	// alone is 352 MiB. The Result cannot be written again. loa build sets
	// it.
	Release bool
}

// Version identifies this build of loa to the build cache: the SHA-256 of
// the running executable, so a cache written by any other build of loa
// (whose analysis or bundle may differ) is never trusted. It falls back to
// the module's build information when the executable cannot be read. The
// executable is read once per process (about 35 MB).
func Version() string { return version() }

var version = sync.OnceValue(func() string {
	if exe, err := os.Executable(); err == nil {
		if f, err := os.Open(exe); err == nil {
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err == nil {
				return "exe:" + hex.EncodeToString(h.Sum(nil))
			}
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		return "build:" + bi.String()
	}
	return "unknown"
})

// Write writes the site into opts.Out atomically: into a fresh folder, with
// its search bundle, swapped in only when everything succeeded. The Bleve
// index and the record of what was written go into the build-state folder,
// not into the output, so the output is exactly what readers get.
//
// Before any work it checks that Out may be replaced (state.CheckOutput):
// loa never replaces a folder it cannot prove it wrote. Temporary folders of
// builds that were killed part-way are removed first.
func (r *Result) Write(ctx context.Context, opts WriteOptions) error {
	if opts.Root == "" {
		opts.Root = "."
	}
	if opts.Out == "" {
		opts.Out = filepath.Join(opts.Root, "public")
	}
	if opts.State == "" {
		opts.State = filepath.Join(opts.Root, state.DirName)
	}
	st, err := state.Create(opts.State)
	if err != nil {
		return err
	}
	if _, err := st.CleanPending(); err != nil {
		return fmt.Errorf("cannot remove the temporary folders of an earlier build: %w", err)
	}
	if err := st.CheckOutput(opts.Out, opts.Root, sources()); err != nil {
		return err
	}
	// The search index of the last build, kept in the build state, is
	// updated when it can be (search.Index.Update: the bundle is then the
	// one a fresh build writes, byte for byte); otherwise a fresh index is
	// built beside it and swapped in after the output. The cache names the
	// site by the absolute path of its root.
	docs, sopts := r.SearchDocs(), r.SearchOptions()
	files := r.Files
	if opts.Release {
		r.Pages, r.Files = nil, nil
	}
	sopts.Version = Version()
	if sopts.Site, err = filepath.Abs(opts.Root); err != nil {
		return err
	}
	notice := func(err error) {
		var se *search.StaleError
		if errors.As(err, &se) && se.Notice && opts.Log != nil {
			fmt.Fprintf(opts.Log, "loa: notice: the build cache %s %s; building the search index from scratch\n", se.Path, se.Reason)
		}
	}
	kept, err := search.OpenForUpdate(st.Index(), sopts)
	if err != nil {
		notice(err)
		kept = nil
	}
	closeKept := func() {
		if kept != nil {
			kept.Close()
			kept = nil
		}
	}
	defer closeKept()
	idxTmp, err := st.MkdirTemp(st.Index())
	if err != nil {
		return err
	}
	defer func() {
		os.RemoveAll(idxTmp)
		st.Done(idxTmp)
	}()
	newIndex := filepath.Join(idxTmp, "index.bleve")
	updated := false
	var written []publish.File
	temp := output.Temp{Mkdir: st.MkdirTemp, Done: func(dir string) { st.Done(dir) }}
	err = output.Commit(ctx, opts.Out, files, temp, func(dir string) error {
		if opts.Release {
			clear(files) // written: Commit does not read them again
		}
		bundle := filepath.Join(dir, "search")
		if kept != nil {
			err := kept.Update(ctx, docs, sopts, bundle, filepath.Join(opts.Out, "search"))
			var se *search.StaleError
			if err != nil && !errors.As(err, &se) {
				return err
			}
			notice(err)
			updated = err == nil
		}
		if !updated {
			if err := search.BuildWith(ctx, docs, sopts, bundle, newIndex); err != nil {
				return err
			}
		}
		m, err := publish.BuildManifest(os.DirFS(dir))
		if err != nil {
			return fmt.Errorf("manifest: %w", err)
		}
		written = m.Files
		// Until the swap the folder holds either the old files or the new
		// ones: a record of both proves ownership whichever it is.
		both := written
		if old, err := st.LookupOutput(opts.Out); err == nil && old != nil {
			both = append(append([]publish.File(nil), old.Files...), written...)
		}
		return st.RecordOutput(opts.Out, both)
	})
	if err != nil {
		return err
	}
	if err := st.RecordOutput(opts.Out, written); err != nil {
		return err
	}
	closeKept()
	if updated {
		return nil
	}
	if err := os.RemoveAll(st.Index()); err != nil {
		return err
	}
	return os.Rename(newIndex, st.Index())
}
