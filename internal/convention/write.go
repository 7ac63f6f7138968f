package convention

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"loa/internal/diag"
	"loa/internal/output"
)

// WriteFile writes data to name atomically: into a temporary file in the
// same folder, then renamed over name, so a reader (or a build running at
// the same time) sees the old page or the new one, never half of one. Unless
// force is set, an existing page is replaced only if CheckOverwrite allows
// it.
func WriteFile(ctx context.Context, name string, data []byte, force bool) error {
	pos := diag.Position{File: filepath.ToSlash(name)}
	if !force {
		old, err := os.ReadFile(name)
		switch {
		case err == nil:
			if err := CheckOverwrite(filepath.ToSlash(name), old); err != nil {
				return err
			}
		case !errors.Is(err, fs.ErrNotExist):
			return diag.Wrap(pos, "", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	err := output.WriteFile(name, data, 0o644)
	if err != nil {
		return diag.Wrap(pos, "", err)
	}
	return nil
}
