package convention

import (
	"strings"
	"testing"
)

// body parses src as an English (or lang) text and renders its Markdown body.
func body(t *testing.T, lang, src string) (md string, warns, added []string) {
	t.Helper()
	doc, err := Parse("in.txt", []byte(src), Options{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for _, w := range doc.Warnings {
		warns = append(warns, w.Error())
	}
	md, added = render(doc, lang)
	return md, warns, added
}

func TestStructures(t *testing.T) {
	for _, tc := range []struct {
		name, lang, in, want string
		warnings             []string
	}{{
		name: "preamble, parts, articles, paragraphs, items",
		in: `Convention on Things

Preamble

The States Parties,

Have agreed as follows:

PART I

Article 1

1. First paragraph:

(a) item;

(i) sub-item;

(ii) sub-item;

(b) item.
2. Second.

Part II

Article 2

Only text.
`,
		want: `## Preamble {#preamble}

The States Parties,

Have agreed as follows:

## PART I {#part-1}

### Article 1 {#article-1}

1\. First paragraph:

(a) item;

(i) sub-item;

(ii) sub-item;

(b) item.

2\. Second.

## Part II {#part-2}

### Article 2 {#article-2}

Only text.
`,
	}, {
		name: "run-on preamble without heading is split at recital openers only",
		in:   "Convention\n\nThe States Parties to this Convention,Considering that the Educational, Scientific and Cultural Organization, Recognizing that x,Noting also y,Have agreed as follows:\n\nArticle 1\n\nText.\n",
		want: `## Preamble {#preamble}

The States Parties to this Convention,

Considering that the Educational, Scientific and Cultural Organization,

Recognizing that x,

Noting also y,

Have agreed as follows:

### Article 1 {#article-1}

Text.
`,
	}, {
		name: "Preamble and its first text on one line, lettered recitals",
		in:   "Convention\n\nPreamble The States Parties to the present Convention,\n\na) Recalling x,\n\nh) Recognizing y,\n\ni) Recognizing further z,\n\nj) Noting w, Have agreed as follows:\n\nArticle 1\n\nText.\n",
		want: `## Preamble {#preamble}

The States Parties to the present Convention,

a) Recalling x,

h) Recognizing y,

i) Recognizing further z,

j) Noting w,

Have agreed as follows:

### Article 1 {#article-1}

Text.
`,
	}, {
		name: "paragraph number alone on its line, (a)To without a space",
		in:   "Convention\n\nArticle 1\n\n1.  One.\n2.\n\n(a)To embody;\n\n(b) To adopt.\n3.  Three.\n",
		want: "### Article 1 {#article-1}\n\n1\\.  One.\n\n2\\.\n\n(a)To embody;\n\n(b) To adopt.\n\n3\\.  Three.\n",
	}, {
		name: "a. and i. items indented, CRC 40(3)(b)+(4) run-on, testimonium joined to the last article",
		in: `Convention

Article 1

3. States Parties shall, in particular:
  a. The establishment of a minimum age;
  b. Whenever appropriate, measures. 4. A variety of dispositions shall be available.
    i. To be presumed innocent; 7. Not a paragraph number.

Article 2

The original shall be deposited. In witness thereof the undersigned have signed.
`,
		want: `### Article 1 {#article-1}

3\. States Parties shall, in particular:

a. The establishment of a minimum age;

b. Whenever appropriate, measures.

4\. A variety of dispositions shall be available.

i. To be presumed innocent; 7. Not a paragraph number.

### Article 2 {#article-2}

The original shall be deposited.

In witness thereof the undersigned have signed.
`,
	}, {
		name: "captions on their own line (CRPD)",
		in:   "Convention\n\nArticle 1\n\nPurpose\n\nThe purpose is this.\n\nArticle 2\n\nFreedom from torture or cruel, inhuman or degrading treatment or punishment\n\n1.  No one.\n\nArticle 3\n\nNo full stop at the end\n",
		want: `### Article 1 – Purpose {#article-1}

The purpose is this.

### Article 2 – Freedom from torture or cruel, inhuman or degrading treatment or punishment {#article-2}

1\.  No one.

### Article 3 {#article-3}

No full stop at the end
`,
	}, {
		name: "Vietnamese structure words and anchors",
		lang: "vi",
		in: `Công ước về Quyền Trẻ em

Lời nói đầu

Các quốc gia thành viên,

PHẦN I

Chương I

NHỮNG QUY ĐỊNH CHUNG

Mục 1

Điều 1

1. Một.

a) Hai;

đ) Ba.

Điều 2. Mục đích

Văn bản.

Chương II

Mục 1

Điều 3

Ba.
`,
		want: `## Lời nói đầu {#loi-noi-dau}

Các quốc gia thành viên,

## PHẦN I {#phan-1}

## Chương I – NHỮNG QUY ĐỊNH CHUNG {#chuong-1}

## Mục 1 {#chuong-1-muc-1}

### Điều 1 {#dieu-1}

1\. Một.

a) Hai;

đ) Ba.

### Điều 2. Mục đích {#dieu-2}

Văn bản.

## Chương II {#chuong-2}

## Mục 1 {#chuong-2-muc-1}

### Điều 3 {#dieu-3}

Ba.
`,
	}, {
		name: "Vietnamese text without a preamble heading gets one",
		lang: "vi",
		in:   "Công ước\n\nCác quốc gia thành viên,\n\nĐIỀU 1\n\nMột.\n",
		want: "## Lời nói đầu {#loi-noi-dau}\n\nCác quốc gia thành viên,\n\n### ĐIỀU 1 {#dieu-1}\n\nMột.\n",
	}, {
		name: "Markdown-special characters are escaped",
		in:   "Convention\n\nArticle 1\n\n# not a heading *or* _emphasis_ [link](x) <b> `code` ~~x~~ &amp; & a\\b\n\n- not a list\n\n> not a quote\n\n12) not a list\n\n+ plus\n\n: not a definition\n",
		want: "### Article 1 {#article-1}\n\n\\# not a heading \\*or\\* \\_emphasis\\_ \\[link\\](x) \\<b> \\`code\\` \\~\\~x\\~\\~ \\&amp; & a\\\\b\n\n\\- not a list\n\n\\> not a quote\n\n12\\) not a list\n\n\\+ plus\n\n\\: not a definition\n",
	}, {
		name:     "text it cannot place is kept and reported",
		in:       "Convention\n\nPART I\n\nThis part applies to everything.\n\nArticle 1\n\nText.\n",
		want:     "## PART I {#part-1}\n\nThis part applies to everything.\n\n### Article 1 {#article-1}\n\nText.\n",
		warnings: []string{`in.txt:5:1: warning: text outside any article, kept under "PART I"`},
	}, {
		name:     "text between the title and an explicit preamble",
		in:       "Convention\n\nAdopted by resolution 1.\n\nPreamble\n\nThe States,\n\nArticle 1\n\nText.\n",
		want:     "Adopted by resolution 1.\n\n## Preamble {#preamble}\n\nThe States,\n\n### Article 1 {#article-1}\n\nText.\n",
		warnings: []string{"in.txt:3:1: warning: text between the title and the preamble; kept before the preamble"},
	}, {
		name: "CRLF, BOM, trailing spaces",
		in:   "\ufeffConvention\r\n\r\nArticle 1  \r\n\r\n   Text.   \r\n",
		want: "### Article 1 {#article-1}\n\nText.\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			lang := tc.lang
			if lang == "" {
				lang = "en"
			}
			got, warns, added := body(t, lang, tc.in)
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			if strings.Join(warns, "\n") != strings.Join(tc.warnings, "\n") {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warns, "\n"), strings.Join(tc.warnings, "\n"))
			}
			// Whatever the structure, the words are the source's, in order.
			doc, _ := Parse("in.txt", []byte(tc.in), Options{})
			want := Words(tc.in)[len(Words(doc.Title)):]
			if have := markdownWords(got, added); strings.Join(have, " ") != strings.Join(want, " ") {
				t.Errorf("words differ:\n got %q\nwant %q", have, want)
			}
		})
	}
}

func TestLevels(t *testing.T) {
	src := "T\n\nArticle 1\n\n1. P\n\n(g) x\n\n(h) x\n\n(i) roman, as (ii) follows\n\n(ii) y\n\nArticle 2\n\n(h) x\n\n(i) letter, as (j) follows\n\n(j) z\n\n(iv) w\n\nv. five\n"
	doc, err := Parse("in.txt", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range doc.Articles() {
		for _, b := range a.Blocks {
			got = append(got, b.Marker+"="+[]string{"text", "paragraph", "item", "subitem"}[b.Level])
		}
	}
	want := "1.=paragraph (g)=item (h)=item (i)=subitem (ii)=subitem (h)=item (i)=item (j)=item (iv)=subitem v.=subitem"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}
