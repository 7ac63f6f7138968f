package link

import "testing"

func TestRelPath(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"/index.html", "/cong-uoc/crc/", "cong-uoc/crc/index.html"},
		{"/index.html", "/", "index.html"},
		{"/404.html", "/css/main.css", "css/main.css"},
		{"/cong-uoc/crc/index.html", "/cong-uoc/crc/", "index.html"},
		{"/cong-uoc/crc/index.html", "/cong-uoc/crc/#dieu-2", "index.html#dieu-2"},
		{"/cong-uoc/crc/index.html", "/en/conventions/crc/", "../../en/conventions/crc/index.html"},
		{"/cong-uoc/crc/28/index.html", "/cong-uoc/crc/", "../index.html"},
		{"/a/b/index.html", "/a/c/", "../c/index.html"},
		{"/a/index.html", "/a/b/c.png", "b/c.png"},
		{"/a/b/index.html", "/", "../../index.html"},
		{"/", "/x/", "x/index.html"},
		{"/a/", "#top", "#top"},
	}
	for _, tc := range tests {
		if got := Rel(tc.from, tc.to); got != tc.want {
			t.Errorf("Rel(%q, %q) = %q, want %q", tc.from, tc.to, got, tc.want)
		}
	}
}
