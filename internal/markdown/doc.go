// Package markdown turns the Markdown body of a page into HTML and into the
// data the rest of loa needs about it: headings with stable IDs, a table of
// contents, plain text for search (whole and split into sections) and every
// link with its position. It is the only package that imports goldmark and
// chroma.
//
// # Using it
//
// Create one Renderer per build and share it between goroutines:
//
//	r := markdown.New()
//	res, err := r.Render(page.Body, markdown.Options{
//		AllowHTML:   page.Front.AllowHTML,
//		ResolveLink: func(dest string, line, col int) string { ... },
//	})
//
// res.HTML is ready to be wrapped in template.HTML. r.CSS() is the stylesheet
// for highlighted code; write it once per site (public/css/chroma.css).
//
// # Markdown dialect
//
// CommonMark plus the GitHub extensions (tables, strikethrough, task lists,
// bare URLs become links), footnotes and definition lists. The typographer is
// off: legal texts keep their quotes and dashes exactly as written. Table
// column alignment is written as an align attribute, never as an inline
// style, so the site works under a strict Content-Security-Policy.
//
// # Headings
//
// Every heading gets an id. An explicit one, written as an attribute after
// the heading text, wins and is never changed:
//
//	## Điều 3 {#dieu-3}
//
// Otherwise the plain text of the heading is folded by [Slug]: Vietnamese
// diacritics are removed, đ becomes d, letters are lower-cased and every run of
// other characters becomes a single "-" ("Điều 1. Mục đích" becomes
// "dieu-1-muc-dich"). A heading that folds to nothing gets "section". A
// generated id that is already taken in the page (by an explicit id or an
// earlier heading) gets "-1", "-2", ... appended, as Hugo does. Heading
// attributes other than id, class, lang and dir (notably style) are dropped.
//
// Result.Headings lists all headings; Result.TOC only those of level 2 and 3.
//
// # Plain text and sections
//
// Result.Text is the plain text of the page: no markup and no HTML, one line
// per block (paragraph, heading, list item, table row, code block), table
// cells separated by a space, so that words never run together. Code is kept
// as text; images contribute their alt text; footnote markers and task-list
// checkboxes contribute nothing.
//
// Result.Sections splits the same text at every h2 and h3: each Section holds
// the heading's id, text and level and the text of the blocks up to the next
// h2 or h3 (h1 and h4-h6 headings inside it are part of its text). Text before
// the first h2/h3 becomes a leading Section with an empty ID, present only
// when that text is not empty. Footnote bodies are rendered at the end of the
// page, so they belong to the last section, which is where a reader finds
// them too.
//
// # Links
//
// Every link, image and autolink destination is passed to
// Options.ResolveLink together with its 1-based line and byte column in the
// source (the "[" of a link, the "!" of an image, the first character of an
// autolink), and the returned string is written instead. Result.Links lists
// the original destinations in source order. Email autolinks are reported
// with their "mailto:" prefix, bare "www." links with "http://". Whatever
// ResolveLink returns, a dangerous URL (javascript:, vbscript:, non-image
// data:) is never written: the href is left empty.
//
// # Raw HTML
//
// Raw HTML, both blocks and inline tags, is removed from the output entirely
// unless Options.AllowHTML is set; no "raw HTML omitted" comment is left
// behind, and raw HTML never reaches the plain text.
//
// # Code
//
// Fenced code blocks whose language chroma knows are highlighted with CSS
// classes, all prefixed "hl-" (the wrapper is <pre class="hl-chroma">), so
// they cannot clash with the site's own classes and no inline style is ever
// written. Code without a language or with an unknown one, and indented code,
// is written as an escaped <pre><code>. CSS returns the matching stylesheet:
// a light theme, and a dark theme inside @media (prefers-color-scheme: dark);
// Result.HasCode tells whether a page needs it (a fenced block in a language
// chroma knows), so that other pages do not load it.
//
// Every code block is keyboard-scrollable: the <pre> gets tabindex="0",
// role="group" and an aria-label, Options.CodeLabel plus the language
// ("Đoạn mã (yaml)"), so a focused block has a name.
//
// # Guarantees
//
// Render is deterministic: the same input and options give byte-identical
// output. It does not panic on any input (a panic inside goldmark or chroma
// is turned into an error). A Renderer holds no per-document state, so one
// instance serves any number of concurrent Render calls.
package markdown
