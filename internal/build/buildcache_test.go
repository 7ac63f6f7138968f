package build_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"loa/internal/build"
	"loa/internal/sitetest"
)

func buildInto(t *testing.T, site, out string, log *bytes.Buffer) {
	t.Helper()
	res, err := build.New().Build(context.Background(), build.Options{FS: os.DirFS(site)})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Write(context.Background(), build.WriteOptions{Out: out, Root: site, State: filepath.Join(site, ".loa"), Log: log}); err != nil {
		t.Fatal(err)
	}
}

// TestBuildCacheMatchesFreshBuild: a second `loa build` updates the search
// index kept in the build-state folder (.loa/index.bleve stays the same
// folder) instead of building a new one, and its public/ is byte for byte
// the public/ of a fresh build (no .loa/) of the same site, after each kind
// of edit. A build cache that cannot be read is ignored with a one-line
// notice, and the output is still a fresh build's.
func TestBuildCacheMatchesFreshBuild(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	archive := cfg + "\n-- content/_index.md --\n---\ntitle: Trang chủ\n---\nMọi trẻ em có quyền được học.\n"
	for i := 0; i < 12; i++ {
		archive += fmt.Sprintf("-- content/bai/p%02d.md --\n---\ntitle: Bài %d\ndate: 2024-01-%02d\n---\nTài liệu số %d. Quyền trẻ em được bảo vệ khỏi bạo lực gia đình.\n\n## Điều %d\n\nMọi người có quyền tự do ngôn luận.\n", i, i, i+1, i, i)
	}
	writeSite(t, site, archive)
	page := filepath.Join(site, "content", "bai", "p05.md")
	orig, _ := os.ReadFile(page)
	out := filepath.Join(site, "public")
	var log bytes.Buffer
	buildInto(t, site, out, &log)
	idx := filepath.Join(site, ".loa", "index.bleve")
	steps := []struct {
		name    string
		edit    func()
		updated bool // the kept index is updated in place
		notice  string
	}{
		{"one word added", func() {
			os.WriteFile(page, bytes.Replace(orig, []byte("Tài liệu số 5."), []byte("Tài liệu số 5 abcdefghij."), 1), 0o644)
		}, true, ""},
		{"nothing changed", func() {}, true, ""},
		{"one word for another", func() {
			os.WriteFile(page, bytes.Replace(orig, []byte("Tài liệu số 5."), []byte("Tài liệu số 5 qwertyuiop."), 1), 0o644)
		}, true, ""},
		{"a heading changed", func() {
			os.WriteFile(page, bytes.Replace(orig, []byte("## Điều 5"), []byte("## Điều 55"), 1), 0o644)
		}, true, ""},
		{"a page added", func() {
			os.WriteFile(filepath.Join(site, "content", "bai", "p99.md"), []byte("---\ntitle: Bài mới\n---\nTra tấn bị cấm.\n"), 0o644)
		}, false, ""},
		{"a damaged cache", func() {
			os.WriteFile(filepath.Join(idx, "index_meta.json"), []byte("{not json"), 0o644)
		}, false, "loa: notice: the build cache " + idx + " cannot be opened"},
		{"the cache deleted", func() { os.RemoveAll(idx) }, false, ""},
		// A build-state folder copied from another site.
		{"another site's cache", func() {
			other := filepath.Join(dir, "other")
			copySite(t, site, other)
			buildInto(t, other, filepath.Join(other, "public"), &bytes.Buffer{})
			os.RemoveAll(idx)
			os.Rename(filepath.Join(other, ".loa", "index.bleve"), idx)
		}, false, "loa: notice: the build cache " + idx + " was built for another site"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			// A file of our own in the index folder stays only if the
			// build updated that folder in place (comparing the folder's
			// inode would not do: a new folder may get the freed one).
			marker := filepath.Join(idx, "test-marker")
			os.WriteFile(marker, nil, 0o644)
			st.edit()
			log.Reset()
			buildInto(t, site, out, &log)
			if _, err := os.Stat(idx); err != nil {
				t.Fatal(err)
			}
			_, err := os.Stat(marker)
			if got := err == nil; got != st.updated {
				t.Errorf("index updated in place: %v, want %v", got, st.updated)
			}
			if st.notice == "" && log.Len() > 0 || st.notice != "" && !strings.HasPrefix(log.String(), st.notice) || strings.Count(log.String(), "\n") > 1 {
				t.Errorf("log %q, want one line starting %q", log.String(), st.notice)
			}
			fresh := filepath.Join(dir, "fresh-"+strings.ReplaceAll(st.name, " ", "-"))
			copySite(t, site, fresh)
			buildInto(t, fresh, filepath.Join(fresh, "public"), &bytes.Buffer{})
			sitetest.AssertSameFiles(t, st.name, sitetest.ReadTree(t, out), sitetest.ReadTree(t, filepath.Join(fresh, "public")))
		})
	}
}

// copySite copies the sources of site (not public/ or .loa/) into dst.
func copySite(t *testing.T, site, dst string) {
	t.Helper()
	err := filepath.WalkDir(site, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(site, p)
		if d.IsDir() {
			if rel == "public" || rel == ".loa" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
