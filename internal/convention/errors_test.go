package convention

import (
	"strings"
	"testing"
)

func TestErrors(t *testing.T) {
	const title = "Convention on Things\n\n"
	for _, tc := range []struct {
		name string
		in   string
		opt  Options
		want string // every error, sorted, one per line
	}{
		{"empty file", "", Options{}, "x.txt:1:1: empty file"},
		{"only white space", " \n\n\t\n", Options{}, "x.txt:1:1: empty file"},
		{"not UTF-8", title + "Article 1\n\nab\xffc\n", Options{}, "x.txt:5:3: not valid UTF-8 (byte 0xff)"},
		{"Latin-1 file", "Convention\n\nArticle 1\n\nR\xe9sum\xe9\n", Options{}, "x.txt:5:2: not valid UTF-8 (byte 0xe9)"},
		{"NUL byte", title + "Article 1\n\nab\x00c\n", Options{},
			"x.txt:5:3: NUL byte (U+0000) in the text: the file is damaged or not plain text; save it again as plain UTF-8 text, or delete the character"},
		{"control characters, one error per kind", title + "Article 1\n\n\x1b[2JA\x00\x00 \u0085\fB\x00\n\tC.\r\n", Options{},
			strings.Join([]string{
				"x.txt:5:1: escape character (U+001B) in the text: the file is damaged or not plain text; save it again as plain UTF-8 text, or delete the character",
				"x.txt:5:6: NUL byte (U+0000) in the text (3 in the file): the file is damaged or not plain text; save it again as plain UTF-8 text, or delete the character",
				"x.txt:5:9: control character (U+0085) in the text: the file is damaged or not plain text; save it again as plain UTF-8 text, or delete the character",
				"x.txt:5:10: form feed (page break) (U+000C) in the text: the file is damaged or not plain text; save it again as plain UTF-8 text, or delete the character",
			}, "\n")},
		{"DEL", title + "Article 1\n\nA\x7f\n", Options{},
			"x.txt:5:2: delete character (U+007F) in the text: the file is damaged or not plain text; save it again as plain UTF-8 text, or delete the character"},
		{"text before the title", "Tratado\n\nConvention on Things\n\nArticle 1\n\nA.\n",
			Options{Titles: []string{"Convention on Things"}}, `x.txt:1:1: text before the title "Convention on Things"`},
		{"no title at all", "\nArticle 1\n\nA.\n", Options{}, `x.txt:2:1: missing title: the file starts with "Article 1"`},
		{"no title, a known title expected", "PART I\n\nArticle 1\n\nA.\n",
			Options{Titles: []string{"Convention on Things"}}, `x.txt:1:1: missing title: the file starts with "PART I"`},
		{"article out of sequence", title + "Article 1\n\nA.\n\nArticle 2\n\nB.\n\nArticle 4\n\nD.\n\nArticle 3\n\nC.\n", Options{},
			"x.txt:15:1: article 3 out of sequence: it follows article 4"},
		{"duplicate article", title + "Article 1\n\nA.\n\nArticle 2\n\nB.\n\nArticle 2\n\nB again.\n", Options{},
			"x.txt:11:1: duplicate article 2 (also at line 7)"},
		{"missing article", title + "Article 1\n\nA.\n\nArticle 3\n\nC.\n", Options{},
			"x.txt:7:1: missing article 2 (before article 3)"},
		{"several articles missing", title + "Article 1\n\nA.\n\nArticle 5\n\nE.\n\nArticle 99999999\n", Options{},
			"x.txt:7:1: missing articles 2 to 4 (before article 5)\nx.txt:11:1: missing articles 6 to 99999998 (before article 99999999)"},
		{"first article missing", title + "Article 2\n\nB.\n", Options{},
			"x.txt:3:1: missing article 1 (before article 2)"},
		{"articles missing at the end", title + "Article 1\n\nA.\n", Options{Articles: 3},
			"x.txt:5:1: missing articles 2 to 3: the text ends after article 1"},
		{"last article missing", title + "Article 1\n\nA.\n\nArticle 2\n\n  B.  \n\n", Options{Articles: 3},
			"x.txt:9:3: missing article 3: the text ends after article 2"},
		{"too many articles", title + "Article 1\n\nA.\n\nArticle 2\n\nB.\n", Options{Articles: 1},
			"x.txt:7:1: article 2: the convention has 1 articles"},
		{"article 0", title + "Article 0\n\nA.\n\nArticle 1\n\nB.\n", Options{},
			"x.txt:3:1: article 0: articles are numbered from 1"},
		{"duplicate part", title + "PART I\n\nArticle 1\n\nA.\n\nPART I\n\nArticle 2\n\nB.\n", Options{},
			"x.txt:9:1: duplicate PART I (also at line 3)"},
		{"all errors of a run, sorted", title + "Article 1\n\nA.\n\nArticle 3\n\nC.\n\nArticle 3\n\nC.\n\nArticle 2\n\nB.\n", Options{Articles: 4},
			strings.Join([]string{
				"x.txt:11:1: duplicate article 3 (also at line 7)",
				"x.txt:15:1: article 2 out of sequence: it follows article 3",
				"x.txt:17:1: missing article 4: the text ends after article 3",
			}, "\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse("x.txt", []byte(tc.in), tc.opt)
			if err == nil {
				t.Fatalf("no error; document %+v", doc)
			}
			if doc != nil {
				t.Error("a document was returned with the error")
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestImportErrors(t *testing.T) {
	for _, tc := range []struct {
		name, code, lang, in, want string
	}{
		{"unknown code", "udhr", "en", "x", `x.txt:1:1: unknown convention code "udhr" (known: [iccpr icescr cedaw icerd crc crpd cat])`},
		{"unknown language", "crc", "fr", "x", `x.txt:1:1: unknown language "fr" (want en or vi)`},
		{"text before the known title", "crc", "en", "Note\nConvention on the Rights of the Child\n\nArticle 1\n\nA.\n",
			"x.txt:1:1: text before the title \"Convention on the Rights of the Child\"\nx.txt:6:1: missing articles 2 to 54: the text ends after article 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := Import("x.txt", []byte(tc.in), tc.code, tc.lang)
			if err == nil || page != nil {
				t.Fatalf("page %v, err %v", page, err)
			}
			if err.Error() != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", err, tc.want)
			}
		})
	}
}

func TestTitleWarning(t *testing.T) {
	doc, err := Parse("x.txt", []byte("Công ước quốc tế về quyền trẻ em\n\nĐiều 1\n\nMột.\n"), Options{Titles: []string{"Công ước về Quyền Trẻ em"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `x.txt:1:1: warning: title "Công ước quốc tế về quyền trẻ em" is not the expected "Công ước về Quyền Trẻ em"`
	if len(doc.Warnings) != 1 || doc.Warnings[0].Error() != want {
		t.Errorf("warnings %v, want %s", doc.Warnings, want)
	}
	// Case and spacing do not matter.
	doc, err = Parse("x.txt", []byte("CÔNG ƯỚC VỀ  QUYỀN TRẺ EM\n\nĐiều 1\n\nMột.\n"), Options{Titles: []string{"Công ước về Quyền Trẻ em"}})
	if err != nil || len(doc.Warnings) != 0 {
		t.Errorf("err %v, warnings %v", err, doc.Warnings)
	}
}

func TestCorrections(t *testing.T) {
	src := []byte("International Covenant on Economic, Social and Cultural Rights\n\nArticle 1\n\n(c) Higher education shall be made equally acessible to all.\n")
	out, applied, diags := applyCorrections("x.txt", src, "icescr", "en")
	if len(diags) != 0 || len(applied) != 1 || applied[0].Line != 5 {
		t.Fatalf("applied %+v, diags %v", applied, diags)
	}
	if !strings.Contains(string(out), "equally accessible to all") {
		t.Errorf("not corrected: %s", out)
	}
	// A source that no longer has the typo: nothing applied, a warning.
	_, applied, diags = applyCorrections("x.txt", out, "icescr", "en")
	if len(applied) != 0 || len(diags) != 1 || diags[0].Error() != `x.txt:1:1: warning: listed correction not applied: "equally acessible to all" not found` {
		t.Errorf("applied %+v, diags %v", applied, diags)
	}
	// Twice: ambiguous, an error.
	twice := append(append([]byte{}, src...), "equally acessible to all\n"...)
	_, _, diags = applyCorrections("x.txt", twice, "icescr", "en")
	if len(diags) != 1 || diags[0].Error() != `x.txt:5:36: listed correction "equally acessible to all" is ambiguous: found 2 times` {
		t.Errorf("diags %v", diags)
	}
	// Other conventions are untouched.
	if out, applied, _ := applyCorrections("x.txt", src, "crc", "en"); string(out) != string(src) || len(applied) != 0 {
		t.Error("a correction was applied to another convention")
	}
}

func TestWords(t *testing.T) {
	for in, want := range map[string]string{
		"  a  b\tc\n":                        "a|b|c",
		"Convention,Noting that, so":         "Convention,|Noting|that,|so",
		"(a)To embody; x;Y 1,000 1.The e.g.": "(a)To|embody;|x;|Y|1,000|1.The|e.g.",
		"":                                   "",
	} {
		if got := strings.Join(Words(in), "|"); got != want {
			t.Errorf("Words(%q) = %q, want %q", in, got, want)
		}
	}
	if i, ok := InOrder(Words("x a y b z c"), Words("a b c")); !ok || i != 3 {
		t.Errorf("InOrder = %d, %v", i, ok)
	}
	if i, ok := InOrder(Words("a c b"), Words("a b c")); ok || i != 2 {
		t.Errorf("InOrder = %d, %v", i, ok)
	}
}
