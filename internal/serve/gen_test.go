package serve_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyTree copies the named folders and files of the repository's site into
// dst, so tests and benchmarks run the real layouts.
func copyTree(t testing.TB, src, dst string, names ...string) {
	t.Helper()
	for _, n := range names {
		root := filepath.Join(src, n)
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			out := filepath.Join(dst, rel)
			if d.IsDir() {
				return os.MkdirAll(out, 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(out, b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// genSite writes the repository's site plus n generated pages (in sections
// of 500).
func genSite(t testing.TB, dir string, n int) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyTree(t, "../..", dir, "loa.yaml", "layouts", "i18n", "static", "content")
	write := func(name, s string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	para := strings.Repeat("Quyền con người là quyền tự nhiên của mọi người, được pháp luật bảo vệ. ", 6)
	for i := 0; i < n; i++ {
		sec := fmt.Sprintf("muc-%02d", i/500)
		if i%500 == 0 {
			write("content/"+sec+"/_index.md", fmt.Sprintf("---\ntitle: Mục %d\n---\n", i/500))
		}
		prev := fmt.Sprintf("bai-%05d.md", i-1)
		if i%500 == 0 {
			prev = "_index.md"
		}
		write(fmt.Sprintf("content/%s/bai-%05d.md", sec, i), fmt.Sprintf(`---
title: "Bài số %d"
description: "Bài viết thử số %d."
date: 2024-04-%02d
titleVi: ""
titleEn: ""
---

## Mục đích

%s Xem [bài trước](%s).

## Nội dung {#noi-dung}

%s

- một
- hai
`, i, i, i%28+1, para, prev, para))
	}
}
