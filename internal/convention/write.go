package convention

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"loa/internal/diag"
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
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return diag.Wrap(pos, "", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return diag.Wrap(pos, "", err)
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
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		return diag.Wrap(pos, "", err)
	}
	return nil
}
