package scaffold_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"loa/internal/config"
	"loa/internal/content"
	"loa/internal/scaffold"
)

var today = time.Date(2026, 11, 25, 15, 4, 0, 0, time.UTC)

func TestNew(t *testing.T) {
	tests := []struct {
		name      string
		page      func() (scaffold.Page, error)
		wantPath  string
		wantTitle string
		wantKey   string
		wantErr   string
	}{
		{"guidance", func() (scaffold.Page, error) { return scaffold.Guidance("huong-dan", "Tiêu đề bài viết", today) },
			"content/huong-dan/tieu-de-bai-viet.md", "Tiêu đề bài viết", "tieu-de-bai-viet", ""},
		{"guidance with đ and punctuation", func() (scaffold.Page, error) {
			return scaffold.Guidance("huong-dan", `  Đề án "Truyền thông" về quyền con người: năm 2025! `, today)
		}, "content/huong-dan/de-an-truyen-thong-ve-quyen-con-nguoi-nam-2025.md", `Đề án "Truyền thông" về quyền con người: năm 2025!`, "de-an-truyen-thong-ve-quyen-con-nguoi-nam-2025", ""},
		{"guidance without letters", func() (scaffold.Page, error) { return scaffold.Guidance("huong-dan", "— ? —", today) },
			"", "", "", "no letters or digits"},
		{"page", func() (scaffold.Page, error) { return scaffold.At("gioi-thieu/lien-he", "Liên hệ", today) },
			"content/gioi-thieu/lien-he.md", "Liên hệ", "lien-he", ""},
		{"page with content prefix and language", func() (scaffold.Page, error) { return scaffold.At("content/about/contact.en.md", "", today) },
			"content/about/contact.en.md", "Contact", "contact", ""},
		{"section page", func() (scaffold.Page, error) { return scaffold.At("tin-tuc/_index.md", "Tin tức", today) },
			"content/tin-tuc/_index.md", "Tin tức", "tin-tuc", ""},
		{"outside content", func() (scaffold.Page, error) { return scaffold.At("../loa.yaml", "", today) },
			"", "", "", "inside content/"},
		{"absolute", func() (scaffold.Page, error) { return scaffold.At("/etc/x.md", "", today) },
			"", "", "", "inside content/"},
		{"spaces", func() (scaffold.Page, error) { return scaffold.At("tin tuc/a.md", "", today) },
			"", "", "", "spaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.page()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Path != tt.wantPath {
				t.Errorf("path = %s, want %s", p.Path, tt.wantPath)
			}
			root := t.TempDir()
			os.WriteFile(filepath.Join(root, "loa.yaml"), []byte("title: T\nbaseURL: https://example.org/\nlanguages:\n  vi: {name: V}\n  en: {name: E}\n"), 0o644)
			if err := scaffold.Create(root, p); err != nil {
				t.Fatal(err)
			}
			// The file parses, with complete front matter, as a draft.
			cfg, err := config.Load(os.DirFS(root), config.FileName)
			if err != nil {
				t.Fatal(err)
			}
			pages, err := content.Load(context.Background(), os.DirFS(root), cfg, content.Options{Drafts: true})
			if err != nil || len(pages) != 1 {
				t.Fatalf("load: %v (%d pages)\n%s", err, len(pages), p.Source())
			}
			fm := pages[0].Front
			if fm.Title != tt.wantTitle || !fm.Draft || fm.TranslationKey != tt.wantKey || !fm.Date.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("front matter = %+v\n%s", fm, p.Source())
			}
			// A second time is refused, and the file is unchanged.
			before, _ := os.ReadFile(filepath.Join(root, p.Path))
			if err := scaffold.Create(root, scaffold.Page{Path: p.Path, Title: "Khác", Today: today}); !errors.Is(err, scaffold.ErrExists) {
				t.Errorf("second create: %v, want ErrExists", err)
			}
			if after, _ := os.ReadFile(filepath.Join(root, p.Path)); string(after) != string(before) {
				t.Errorf("the existing file was changed")
			}
		})
	}
}

// TestGuidanceLongTitle: a long title gives a file name cut at a word
// boundary, at most scaffold.MaxSlug characters; the title is kept whole.
func TestGuidanceLongTitle(t *testing.T) {
	title := strings.Repeat("Kế hoạch tuyên truyền phổ biến Công ước quốc tế về quyền con người ", 5)
	p, err := scaffold.Guidance("huong-dan", title, time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := "content/huong-dan/ke-hoach-tuyen-truyen-pho-bien-cong-uoc-quoc-te-ve-quyen-con-nguoi-ke.md"
	if p.Path != want || p.Title != strings.TrimSpace(title) {
		t.Errorf("got %s (%d), want %s", p.Path, len(p.Path), want)
	}
}
