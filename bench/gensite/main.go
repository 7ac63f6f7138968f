// Command gensite writes a generated site of N pages for benchmarks: the
// repository's loa.yaml, layouts/, i18n/ and static/ with generated
// Vietnamese guidance pages (headings, lists, a table, a code block, links
// between pages and citations of convention articles).
//
//	go run ./bench/gensite -n 10000 -out /tmp/site10k
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	n := flag.Int("n", 1000, "number of generated pages")
	out := flag.String("out", "", "output folder (required)")
	repo := flag.String("repo", ".", "repository root to take loa.yaml, layouts/, i18n/, static/ and content/ from")
	flag.Parse()
	if *out == "" {
		log.Fatal("gensite: -out is required")
	}
	if err := os.RemoveAll(*out); err != nil {
		log.Fatal(err)
	}
	for _, d := range []string{"layouts", "i18n", "static", "content"} {
		if err := copyTree(filepath.Join(*repo, d), filepath.Join(*out, d)); err != nil {
			log.Fatal(err)
		}
	}
	if err := copyFile(filepath.Join(*repo, "loa.yaml"), filepath.Join(*out, "loa.yaml")); err != nil {
		log.Fatal(err)
	}
	words := strings.Fields("quyền con người trẻ em phụ nữ người khuyết tật dân tộc thiểu số biên giới xã huyện tuyên truyền công ước pháp luật bình đẳng giáo dục y tế lao động việc làm tự do ngôn luận tín ngưỡng tôn giáo bảo vệ chăm sóc gia đình cộng đồng cán bộ công chức thanh niên học sinh")
	codes := []string{"iccpr", "icescr", "cedaw", "icerd", "crc", "crpd", "cat"}
	for i := 0; i < *n; i++ {
		sec := fmt.Sprintf("bai-%02d", i%50)
		dir := filepath.Join(*out, "content", "tao", sec)
		if i < 50 {
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "_index.md"), []byte(fmt.Sprintf("---\ntitle: \"Nhóm %d\"\n---\n", i)), 0o644)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: \"Bài %d về %s %s\"\ndescription: \"Trang thử số %d\"\ndate: 2024-%02d-%02d\n---\n", i, words[i%len(words)], words[(i*7)%len(words)], i, 1+i%12, 1+i%28)
		for s := 0; s < 5; s++ {
			fmt.Fprintf(&b, "\n## Mục %d: %s %s\n\n", s+1, words[(i+s)%len(words)], words[(i*3+s)%len(words)])
			for p := 0; p < 3; p++ {
				for w := 0; w < 60; w++ {
					b.WriteString(words[(i*13+s*7+p*3+w*w)%len(words)])
					b.WriteByte(' ')
				}
				b.WriteString("\n\n")
			}
			fmt.Fprintf(&b, "- theo [Điều %d](convention:%s/%d)\n- xem [bài trước](/tao/%s/p%d/)\n\n", 1+i%25, codes[i%7], 1+i%25, fmt.Sprintf("bai-%02d", max(0, i-50)%50), max(0, i-50))
		}
		b.WriteString("| Cột | Giá trị |\n|---|---|\n| a | 1 |\n\n```go\nfunc main() { println(\"xin chào\") }\n```\n")
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%d.md", i)), []byte(b.String()), 0o644)
	}
}

func copyTree(src, dst string) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
