// Package convention imports the plain text of a human-rights convention
// into a structured Markdown page (the command is "loa import convention").
//
// # Input
//
// A UTF-8 text file: the title on the first line, then the preamble, then
// the articles, optionally grouped in parts, chapters and sections. Each
// non-blank line is one paragraph; leading and trailing spaces, blank lines,
// a byte-order mark and CRLF line ends do not matter. Structure lines are
// recognised in English and Vietnamese, in any letter case:
//
//	Preamble                      Lời nói đầu (or Lời mở đầu)
//	Part I / Chapter I / Section 1   Phần I / Chương I / Mục 1
//	Article 12                    Điều 12
//
// An article or division may have a caption, either on the same line
// ("Điều 1. Mục đích") or on the next line (CRPD: "Article 1" then
// "Purpose"). A paragraph may start with its number or letter: "1.",
// "(a)", "a)", "a.", "(a)To" (no space), "(i)", "i."; "(i)" after "(h)" is a
// letter unless "(ii)" follows. The quirks of the corpus sources are
// handled without changing a character of the text, only by inserting
// paragraph breaks: a run-on preamble is split before each recital
// ("…Convention,Noting that…"); "Preamble The States Parties…" on one line
// becomes the heading and the first paragraph; a paragraph number run on
// after the previous paragraph (CRC art. 40(3)(b) "… respected. 4. A variety…")
// starts a new paragraph when it is the next number of the article; the
// testimonium ("In witness thereof…") starts a paragraph of its own and
// stays at the end of the last article (Block.Testimonium marks it).
//
// Errors, all reported in one run and sorted, each "file:line:col: message":
// an empty file, a file that is not UTF-8, a control character other than
// tab and line ends (a NUL byte, an escape, a form feed: the file is damaged
// or not plain text; one error per kind of character, at its first place),
// text before the title (or no
// title), an article out of sequence, a duplicate article or division, a
// missing article (a gap, or fewer articles than the convention has). With
// any error nothing is written. Text the parser can place only by guessing
// (text between a part heading and its first article, text between the
// title and an explicit preamble) is kept in order and reported as a
// warning with its line.
//
// # Output
//
// A page with YAML front matter (title, layout: convention, translationKey,
// code, titleEn, titleVi, adopted, vietnam, articles, source, corrections,
// imported) and a body of headings and paragraphs:
//
//	## Preamble {#preamble}          ## Lời nói đầu {#loi-noi-dau}
//	## PART I {#part-1}              ## Phần I {#phan-1}
//	### Article 1 {#article-1}       ### Điều 1 {#dieu-1}
//
// Heading text is the source's own line ("PART I" stays upper-case); only
// the anchor is normalised. A preamble heading the source lacks is added
// and listed in imported.headingsAdded. A caption on its own line joins the
// heading after CaptionSeparator ("### Article 1 – Purpose {#article-1}").
// Every paragraph, numbered or lettered, is a Markdown paragraph whose text
// is the source's, escaped so that Markdown neither renumbers "1." nor reads
// "*", "_", "[", "<", "#" and the like as syntax.
//
// The metadata of the seven conventions (Lookup) is transcribed from
// corpus/facts.md and corpus/SOURCES.md. The only changes to the words are
// the typo corrections that SOURCES.md lists (see corrections in
// correct.go); each applied one is recorded in the front matter.
//
// # Edits by hand
//
// imported.hash is the SHA-256 of the page as written with an empty hash
// value. WriteFile replaces an existing page only when it carries the
// imported marker and its hash still matches (CheckOverwrite), so neither a
// hand-written page (the Vietnamese summaries in content/cong-uoc/) nor an
// imported page edited since is lost without --force.
//
// # Fidelity
//
// Words splits text into the words the fidelity tests compare;
// SourceText gives the source with the listed corrections; InOrder checks
// that a page's words contain the source's in order.
package convention
