package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"loa/internal/output"
	"loa/internal/publish"
)

// Write writes the site to dest atomically: into a fresh folder, with its
// search index and manifest, swapped in only when everything succeeded.
func (r *Result) Write(ctx context.Context, dest string) error {
	return output.Commit(ctx, dest, r.Files, func(dir string) error {
		return r.finish(ctx, dir)
	})
}

// finish adds what is built from the written files: the search index and
// bundle, then the manifest of everything.
func (r *Result) finish(ctx context.Context, dir string) error {
	if err := r.writeSearch(ctx, dir); err != nil {
		return err
	}
	m, err := publish.BuildManifest(os.DirFS(dir))
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	data, err := m.MarshalJSON()
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, publish.ManifestName), data, 0o644)
}
