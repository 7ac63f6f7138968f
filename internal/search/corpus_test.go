package search

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var genDocs = flag.Bool("gen-docs", false, "regenerate testdata/docs.json from ../../corpus")

// TestGenDocs turns the corpus into the docs fixture the parity test uses:
// each convention split at its "Article N" lines, the district plan at its
// Roman-numbered headings, and one Vietnamese page listing the conventions.
// Run with -gen-docs; the builder's real documents can later be dumped into
// the same format.
func TestGenDocs(t *testing.T) {
	if !*genDocs {
		t.Skip("run with -gen-docs to regenerate testdata/docs.json")
	}
	docs, err := corpusDocs("../../corpus")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(docs, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/docs.json", append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d docs", len(docs))
}

var articleRE = regexp.MustCompile(`^Article (\d+)\s*$`)
var partRE = regexp.MustCompile(`^PART [IVX]+\s*$`)
var viHeadRE = regexp.MustCompile(`^([IVX]+)\. (.+)$`)

func slug(s string) string {
	s = strings.ToLower(Fold(s))
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func corpusDocs(dir string) ([]Doc, error) {
	var docs []Doc
	codes := []string{"iccpr", "icescr", "cedaw", "icerd", "crc", "crpd", "cat"}
	for _, code := range codes {
		raw, err := os.ReadFile(filepath.Join(dir, code+".en.txt"))
		if err != nil {
			return nil, err
		}
		lines := strings.Split(string(raw), "\n")
		title := strings.TrimSpace(lines[0])
		page := "/en/conventions/" + code + "/"
		cur := Doc{ID: page, URL: page, PageURL: page, PageTitle: title, Title: title, Lang: "en", Kind: "convention", Code: code}
		var body []string
		flush := func() {
			cur.Body = strings.TrimSpace(strings.Join(body, "\n"))
			docs = append(docs, cur)
			body = nil
		}
		for _, l := range lines[1:] {
			l = strings.TrimSpace(l)
			if m := articleRE.FindStringSubmatch(l); m != nil {
				flush()
				u := page + "#article-" + m[1]
				cur = Doc{ID: u, URL: u, PageURL: page, PageTitle: title, Title: "Article " + m[1], Section: "Article " + m[1],
					Lang: "en", Kind: "convention", Code: code}
				continue
			}
			if partRE.MatchString(l) || l == "Preamble" {
				continue
			}
			l = strings.TrimPrefix(l, "Preamble ")
			if l != "" {
				body = append(body, l)
			}
		}
		flush()
	}

	raw, err := os.ReadFile(filepath.Join(dir, "ke-hoach-2024.vi.txt"))
	if err != nil {
		return nil, err
	}
	page := "/huong-dan/ke-hoach-2024/"
	title := "Kế hoạch triển khai Đề án “Truyền thông về quyền con người ở Việt Nam giai đoạn 2023 - 2028” năm 2024"
	cur := Doc{ID: page, URL: page, PageURL: page, PageTitle: title, Title: title, Lang: "vi", Kind: "guidance"}
	var body []string
	flush := func() {
		cur.Body = strings.TrimSpace(strings.Join(strings.Fields(strings.Join(body, " ")), " "))
		docs = append(docs, cur)
		body = nil
	}
	for _, l := range strings.Split(string(raw), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if m := viHeadRE.FindStringSubmatch(l); m != nil {
			flush()
			h := m[1] + ". " + strings.TrimSpace(m[2])
			u := page + "#" + slug(h)
			cur = Doc{ID: u, URL: u, PageURL: page, PageTitle: title, Title: h, Section: h, Lang: "vi", Kind: "guidance"}
			continue
		}
		body = append(body, l)
	}
	flush()

	// The Vietnamese names of the conventions, from facts.md.
	names := map[string]string{
		"iccpr":  "Công ước về các Quyền Dân sự và Chính trị",
		"icescr": "Công ước về các Quyền Kinh tế, Xã hội và Văn hóa",
		"cedaw":  "Công ước về Xóa bỏ mọi hình thức phân biệt đối xử với phụ nữ",
		"icerd":  "Công ước về xóa bỏ mọi hình thức phân biệt chủng tộc",
		"crc":    "Công ước về Quyền Trẻ em",
		"crpd":   "Công ước về Quyền của Người khuyết tật",
		"cat":    "Công ước Chống tra tấn và các hình thức đối xử hoặc trừng phạt tàn bạo, vô nhân đạo hoặc hạ nhục con người",
	}
	dates := map[string]string{
		"iccpr":  "Việt Nam gia nhập ngày 24/9/1982.",
		"icescr": "Việt Nam gia nhập ngày 24/9/1982.",
		"cedaw":  "Việt Nam ký ngày 27/11/1981, phê chuẩn tháng 2/1982.",
		"icerd":  "Việt Nam gia nhập ngày 9/6/1981 (theo Chinhphu.vn); Bộ sưu tập Điều ước Liên Hợp Quốc ghi năm 1982.",
		"crc":    "Việt Nam ký tháng 1/1990, phê chuẩn ngày 20/2/1990: nước đầu tiên ở châu Á và thứ hai trên thế giới.",
		"crpd":   "Việt Nam ký ngày 22/10/2007, phê chuẩn năm 2015.",
		"cat":    "Việt Nam ký ngày 7/11/2013 tại New York, phê chuẩn năm 2015.",
	}
	for _, code := range codes {
		u := "/cong-uoc/" + code + "/"
		docs = append(docs, Doc{ID: u, URL: u, PageURL: u, PageTitle: names[code], Title: names[code],
			Body: names[code] + ". " + dates[code], Lang: "vi", Kind: "convention", Code: code})
	}
	return docs, nil
}
