package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// Paths the preview server answers itself. "/__loa/" is not a path any page
// or static file of a site uses; "/search" (without a slash) is the JSON
// search endpoint, distinct from a search page at "/search/".
const (
	eventsPath = "/__loa/events"
	scriptPath = "/__loa/live.js"
	searchPath = "/search"
)

// ServeHTTP serves the last good site from memory, the live-reload script
// and its event stream, and the search endpoint, to requests for a host the
// preview answers (see hostPolicy).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if !s.hosts.allowed(r.Host) {
		s.refuseHost(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case eventsPath:
		s.events(w, r)
		return
	case scriptPath:
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write([]byte(liveScript))
		return
	case searchPath:
		s.search(w, r)
		return
	}
	name, ok := cleanPath(r)
	if !ok {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	st := s.site.Load()
	if st == nil {
		// No build has succeeded yet: a placeholder page shows the errors
		// and reloads once the site builds.
		s.write(w, r, http.StatusServiceUnavailable, "index.html", []byte(placeholderPage), 0)
		return
	}
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	if data, ok := st.file(name); ok {
		s.write(w, r, http.StatusOK, name, data, st.build)
		return
	}
	if _, ok := st.file(name + "/index.html"); ok {
		// A folder asked for without its slash: relative links on the page
		// only work from the slash form.
		u := *r.URL
		u.Path += "/"
		http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
		return
	}
	if data, ok := st.files["404.html"]; ok {
		s.write(w, r, http.StatusNotFound, "404.html", data, st.build)
		return
	}
	http.NotFound(w, r)
}

// refuseHost answers a request for a name the preview does not serve (see
// hostPolicy) with 403 and a short explanation, whatever the path.
func (s *Server) refuseHost(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintf(w, "loa serve: this preview answers only requests for localhost or the address it listens on, not for %q, so that other web pages cannot read it. Open %s instead.\n", r.Host, s.URL())
	fmt.Fprintf(w, "Bản xem trước chỉ trả lời yêu cầu gửi tới localhost hoặc địa chỉ nó đang nghe, để trang web khác không đọc được nó. Hãy mở %s.\n", s.URL())
}

// cleanPath returns the site file a request names, relative to the site
// root, or false when the path is not a clean path inside the site. The check
// is strict on purpose: the site has no reason to contain "..", "." or empty
// segments, encoded slashes or backslashes, or control characters.
func cleanPath(r *http.Request) (string, bool) {
	raw := r.URL.EscapedPath()
	lower := strings.ToLower(raw)
	if !strings.HasPrefix(raw, "/") || strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") || strings.Contains(lower, "%00") {
		return "", false
	}
	p := r.URL.Path
	if strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f {
			return "", false
		}
	}
	name := strings.TrimPrefix(p, "/")
	if name == "" {
		return "", true
	}
	for _, seg := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", false
		}
	}
	if c := path.Clean("/" + name); c != "/"+strings.TrimSuffix(name, "/") {
		return "", false
	}
	return name, true
}

// write sends one file with its content type; HTML gets the live-reload
// script.
func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, name string, data []byte, build int64) {
	ct := contentType(name)
	w.Header().Set("Content-Type", ct)
	if strings.HasPrefix(ct, "text/html") {
		data = inject(data, build)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// inject adds the live-reload script before the last </body>, or at the
// end. The page's own bytes are copied, never changed in place.
func inject(page []byte, build int64) []byte {
	tag := `<script src="` + scriptPath + `" data-loa-build="` + strconv.FormatInt(build, 10) + `"></script>`
	i := bytes.LastIndex(bytes.ToLower(page), []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag)+1)
	out = append(out, page[:i]...)
	out = append(out, tag...)
	out = append(out, '\n')
	return append(out, page[i:]...)
}

// contentTypes are the types of the files a site holds. Unknown extensions
// are sent as application/octet-stream, so a browser never guesses.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".xml":         "application/xml; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/plain; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".pdf":         "application/pdf",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".zip":         "application/zip",
	".wasm":        "application/wasm",
	".webmanifest": "application/manifest+json",
}

func contentType(name string) string {
	if ct, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return ct
	}
	return "application/octet-stream"
}

// search answers /search?q= through the Search hook.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if s.cfg.Search == nil {
		w.WriteHeader(http.StatusNotImplemented)
		json.NewEncoder(w).Encode(map[string]string{"error": "search is not available in this preview"})
		return
	}
	res, err := s.cfg.Search.Query(r.Context(), r.URL.Query())
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
		return
	}
	if res == nil {
		res = []any{}
	}
	json.NewEncoder(w).Encode(res)
}
