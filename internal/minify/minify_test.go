package minify

import (
	"strings"
	"testing"
)

func TestFile(t *testing.T) {
	const src = "// Tìm kiếm\nfunction add(a, b) {\n  // tổng\n  return a + b;\n}\nwindow.loaAdd = add;\n"
	js := []byte(src)
	out, err := File("static/js/a.js", "js/a.js", js)
	if err != nil {
		t.Fatal(err)
	}
	// The input is the caller's: a static file the builder keeps (read with
	// os.ReadFile, which leaves spare capacity; the minifier then works in
	// place).
	iife := append(make([]byte, 0, 100), "(function (win) {\n  var s = 'chữ';\n  win.loaS = s;\n})(window);\n"...)
	if _, err := File("static/js/b.js", "js/b.js", iife); err != nil || string(iife) != "(function (win) {\n  var s = 'chữ';\n  win.loaS = s;\n})(window);\n" {
		t.Errorf("the input was changed: %q (%v)", iife, err)
	}
	if got, want := string(out), "function add(e,t){return e+t}window.loaAdd=add"; got != want {
		t.Errorf("js: %q, want %q", got, want)
	}
	css := []byte("/* chữ */\nbody {\n  margin: 0px;\n  color: #ffffff;\n}\n")
	if out, _ := File("static/css/a.css", "css/a.css", css); string(out) != "body{margin:0;color:#fff}" {
		t.Errorf("css: %q", out)
	}
	// Other files, and files minified already, are left as they are.
	for _, p := range []string{"img/a.svg", "js/vendor.min.js", "data.json", "js.d/readme"} {
		if out, err := File("static/"+p, p, js); err != nil || string(out) != string(js) {
			t.Errorf("%s changed: %q, %v", p, out, err)
		}
	}
}

func TestFileError(t *testing.T) {
	// CSS recovers from errors as browsers do; JavaScript that does not
	// parse is an error at its line and column.
	_, err := File("static/js/a.js", "js/a.js", []byte("var chữ = 1;\nvar đẹp = chữ +;\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "static/js/a.js:2:16: cannot minify: ") {
		t.Errorf("error %v, want one at static/js/a.js:2:16 (columns in characters)", err)
	}
}
