package markdown

import (
	"bytes"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Themes of the code stylesheet. Both ship with chroma.
const (
	lightStyle = "github"
	darkStyle  = "github-dark"

	// classPrefix keeps chroma's short class names (k, nf, line, ...) apart
	// from the site's own classes in both directions.
	classPrefix = "hl-"
)

// highlighter is a goldmark node renderer for fenced code (highlighted by
// chroma) and raw HTML. It holds no per-document state.
type highlighter struct {
	formatter *chtml.Formatter
	style     *chroma.Style
}

func newHighlighter() *highlighter {
	return &highlighter{
		formatter: chtml.New(chtml.WithClasses(true), chtml.ClassPrefix(classPrefix)),
		style:     styles.Get(lightStyle),
	}
}

// RegisterFuncs implements renderer.NodeRenderer.
func (h *highlighter) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, h.renderFencedCode)
	reg.Register(ast.KindCodeBlock, h.renderCodeBlock)
	reg.Register(ast.KindHTMLBlock, h.renderHTMLBlock)
	reg.Register(ast.KindRawHTML, h.renderRawHTML)
}

func (h *highlighter) renderFencedCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var code []byte
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code = append(code, seg.Value(src)...)
	}
	if lang := n.Language(src); len(lang) > 0 {
		if out, ok := h.highlight(string(lang), code); ok {
			// chroma's output starts with <pre class="hl-chroma">.
			i := bytes.IndexByte(out, '>')
			_, _ = w.Write(out[:i])
			writeCodeAttributes(w, node)
			_, _ = w.Write(out[i:])
			return ast.WalkSkipChildren, nil
		}
	}
	writePlainCode(w, node, code)
	return ast.WalkSkipChildren, nil
}

// renderCodeBlock writes indented code, like goldmark does, with the
// attributes of every code block.
func (h *highlighter) renderCodeBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	var code []byte
	lines := node.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code = append(code, seg.Value(src)...)
	}
	writePlainCode(w, node, code)
	return ast.WalkSkipChildren, nil
}

func writePlainCode(w util.BufWriter, node ast.Node, code []byte) {
	_, _ = w.WriteString("<pre")
	writeCodeAttributes(w, node)
	_, _ = w.WriteString("><code>")
	_, _ = w.Write(util.EscapeHTML(code))
	_, _ = w.WriteString("</code></pre>\n")
}

// writeCodeAttributes makes a code block keyboard-scrollable: focusable,
// as a group named by the aria-label the walk set (Options.CodeLabel).
func writeCodeAttributes(w util.BufWriter, node ast.Node) {
	_, _ = w.WriteString(` tabindex="0" role="group"`)
	if v, ok := node.AttributeString("aria-label"); ok {
		if b, ok := v.([]byte); ok {
			_, _ = w.WriteString(` aria-label="`)
			_, _ = w.Write(util.EscapeHTML(b))
			_ = w.WriteByte('"')
		}
	}
}

// knownLanguage reports whether chroma highlights lang.
func knownLanguage(lang string) bool { return lexers.Get(lang) != nil }

// highlight formats code with the lexer for lang. It reports false when chroma
// does not know the language or fails, and the caller falls back to plain
// escaped code; the output goes to a buffer first so a failure never leaves
// half a block behind.
func (h *highlighter) highlight(lang string, code []byte) ([]byte, bool) {
	lexer := lexers.Get(lang)
	if lexer == nil {
		return nil, false
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, string(code))
	if err != nil {
		return nil, false
	}
	var buf bytes.Buffer
	buf.Grow(len(code) * 3)
	if err := h.formatter.Format(&buf, h.style, it); err != nil {
		return nil, false
	}
	buf.WriteByte('\n')
	return buf.Bytes(), true
}

// renderHTMLBlock writes raw HTML blocks as they are. Render has already
// removed them from the tree unless the page allows HTML.
func (h *highlighter) renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if entering {
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			html.DefaultWriter.SecureWrite(w, seg.Value(src))
		}
	} else if n.HasClosure() {
		html.DefaultWriter.SecureWrite(w, n.ClosureLine.Value(src))
	}
	return ast.WalkContinue, nil
}

// renderRawHTML writes inline HTML as it is; see renderHTMLBlock.
func (h *highlighter) renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*ast.RawHTML)
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			_, _ = w.Write(seg.Value(src))
		}
	}
	return ast.WalkSkipChildren, nil
}

// css builds the code stylesheet. Light and dark rules use the same
// selectors, so the dark block first resets what the light theme sets on
// token spans: a token the dark theme leaves plain must not keep its light
// colour.
func (h *highlighter) css() []byte {
	var b bytes.Buffer
	b.WriteString("/* Code highlighting (chroma " + lightStyle + " / " + darkStyle + "), generated by loa. */\n")
	_ = h.formatter.WriteCSS(&b, styles.Get(lightStyle))
	var dark bytes.Buffer
	_ = h.formatter.WriteCSS(&dark, styles.Get(darkStyle))
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	b.WriteString("  ." + classPrefix + "chroma [class] { color: inherit; background-color: transparent; font-weight: inherit; font-style: inherit; text-decoration: inherit }\n")
	for _, line := range strings.SplitAfter(dark.String(), "\n") {
		if line != "" {
			b.WriteString("  " + line)
		}
	}
	b.WriteString("}\n")
	return b.Bytes()
}
