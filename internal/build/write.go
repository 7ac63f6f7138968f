package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

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
}

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
	idxTmp, err := st.MkdirTemp(st.Index())
	if err != nil {
		return err
	}
	defer func() {
		os.RemoveAll(idxTmp)
		st.Done(idxTmp)
	}()
	newIndex := filepath.Join(idxTmp, "index.bleve")
	var written []publish.File
	temp := output.Temp{Mkdir: st.MkdirTemp, Done: func(dir string) { st.Done(dir) }}
	err = output.Commit(ctx, opts.Out, r.Files, temp, func(dir string) error {
		if err := search.BuildWith(ctx, r.SearchDocs(), r.SearchOptions(), filepath.Join(dir, "search"), newIndex); err != nil {
			return err
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
	if err := os.RemoveAll(st.Index()); err != nil {
		return err
	}
	return os.Rename(newIndex, st.Index())
}
