package layout

import "testing"

func TestRelWithLinkBase(t *testing.T) {
	p := &Page{OutPath: "404.html", LinkBase: "/quyen-con-nguoi/", Site: &Site{Depth: 2}}
	for to, want := range map[string]string{
		"/css/main.css":          "/quyen-con-nguoi/css/main.css",
		"/":                      "/quyen-con-nguoi/index.html",
		"/cong-uoc/":             "/quyen-con-nguoi/cong-uoc/index.html",
		"/cong-uoc/crc/#dieu-2":  "/quyen-con-nguoi/cong-uoc/crc/index.html#dieu-2",
		"https://example.org/a/": "https://example.org/a/",
	} {
		if got := p.Rel(to); got != want {
			t.Errorf("Rel(%q) = %q, want %q", to, got, want)
		}
	}
	if got, want := p.RelDir("/"), "/quyen-con-nguoi/"; got != want {
		t.Errorf("RelDir(/) = %q, want %q", got, want)
	}
	got := p.RootProbes("js/loa-404.js")
	want := []string{"js/loa-404.js", "../js/loa-404.js", "../../js/loa-404.js", "../../../js/loa-404.js"}
	if len(got) != len(want) {
		t.Fatalf("RootProbes = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("RootProbes = %q, want %q", got, want)
		}
	}
}
