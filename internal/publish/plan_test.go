package publish

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// h returns a fake hash that differs per content word.
func h(content string) string { return fmt.Sprintf("%064x", len(content)*7919+int(content[0])) }

func mf(files ...string) *Manifest {
	m := &Manifest{Schema: SchemaVersion}
	for _, f := range files {
		name, content, _ := strings.Cut(f, "=")
		m.Files = append(m.Files, File{Path: name, Size: int64(len(content)), SHA256: h(content)})
	}
	m.sort()
	return m
}

func ownedOf(files ...string) map[string]File {
	own := map[string]File{}
	for _, f := range mf(files...).Files {
		own[f.Path] = f
	}
	return own
}

// dirOf describes folder contents: "name=content" for a file, "name/" for a
// folder. Every file gets its hash, as if scan had computed it.
func dirOf(entries ...string) map[string]present {
	dir := map[string]present{}
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e, "/"); ok {
			dir[name] = present{Dir: true}
			continue
		}
		name, content, _ := strings.Cut(e, "=")
		dir[name] = present{Size: int64(len(content)), SHA256: h(content)}
	}
	return dir
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name  string
		build *Manifest
		owned map[string]File
		dir   map[string]present
		force bool
		want  string // "path:kind" sorted by path
	}{
		{
			name:  "first publish into an empty folder",
			build: mf("index.html=home", "css/main.css=css"),
			dir:   dirOf("css/"),
			want:  "css/main.css:new index.html:new",
		},
		{
			name:  "same build again",
			build: mf("index.html=home", "css/main.css=css"),
			owned: ownedOf("index.html=home", "css/main.css=css"),
			dir:   dirOf("index.html=home", "css/", "css/main.css=css"),
			want:  "css/main.css:unchanged index.html:unchanged",
		},
		{
			name:  "changed, new and stale",
			build: mf("index.html=home v2", "a/index.html=a"),
			owned: ownedOf("index.html=home", "old/index.html=old"),
			dir:   dirOf("index.html=home", "old/", "old/index.html=old"),
			want:  "a/index.html:new index.html:changed old/index.html:stale",
		},
		{
			name:  "foreign files are left alone",
			build: mf("index.html=home"),
			owned: ownedOf("index.html=home"),
			dir:   dirOf("index.html=home", "tin-tuc.pdf=pdf", "other/", "other/x.html=x"),
			want:  "index.html:unchanged other/x.html:foreign tin-tuc.pdf:foreign",
		},
		{
			name:  "foreign file in the way stops the publish",
			build: mf("index.html=home"),
			dir:   dirOf("index.html=portal home"),
			want:  "index.html:conflict",
		},
		{
			name:  "foreign file in the way is replaced with force",
			build: mf("index.html=home"),
			dir:   dirOf("index.html=portal home"),
			force: true,
			want:  "index.html:replace",
		},
		{
			name:  "identical foreign file is adopted",
			build: mf("index.html=home"),
			dir:   dirOf("index.html=home"),
			want:  "index.html:adopt",
		},
		{
			name:  "stale file changed by someone is kept",
			build: mf("index.html=home"),
			owned: ownedOf("index.html=home", "old.html=old"),
			dir:   dirOf("index.html=home", "old.html=edited by the admin"),
			want:  "index.html:unchanged old.html:kept",
		},
		{
			name:  "loa's file deleted by someone is copied again",
			build: mf("index.html=home", "css/main.css=css"),
			owned: ownedOf("index.html=home", "css/main.css=css"),
			dir:   dirOf("index.html=home"),
			want:  "css/main.css:new index.html:unchanged",
		},
		{
			name:  "loa's file resized by someone is copied again",
			build: mf("index.html=home"),
			owned: ownedOf("index.html=home"),
			dir:   dirOf("index.html=home, edited"),
			want:  "index.html:changed",
		},
		{
			name:  "stale file already gone",
			build: mf("index.html=home"),
			owned: ownedOf("index.html=home", "gone.html=x"),
			dir:   dirOf("index.html=home"),
			want:  "index.html:unchanged",
		},
		{
			name:  "unknown content after an interruption is copied, or removed when stale",
			build: mf("index.html=home"),
			owned: map[string]File{"index.html": {Path: "index.html", Size: -1}, "half.html": {Path: "half.html", Size: -1}},
			dir:   dirOf("index.html=home", "half.html=whatever"),
			want:  "half.html:stale index.html:changed",
		},
		{
			name:  "a file where the build needs a folder",
			build: mf("tin/index.html=x"),
			dir:   dirOf("tin=file"),
			want:  "tin:foreign tin/index.html:conflict",
		},
		{
			name:  "a folder where the build needs a file",
			build: mf("tin=x"),
			dir:   dirOf("tin/"),
			want:  "tin:conflict",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			owned := tt.owned
			if owned == nil {
				owned = map[string]File{}
			}
			p := makePlan(tt.build, owned, tt.dir, tt.force)
			var got []string
			for _, a := range p.Actions {
				got = append(got, a.File.Path+":"+a.Kind.String())
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("plan\n got %s\nwant %s", g, tt.want)
			}
		})
	}
}

func TestPlanOrder(t *testing.T) {
	build := mf("index.html=home v2", "a/index.html=a v2", "a/b/index.html=new page", "css/main.css=css v2",
		"search/shards/xy.json=new shard", "search/meta.json=meta v2")
	owned := ownedOf("index.html=home", "a/index.html=a", "css/main.css=css", "search/meta.json=meta",
		"old/index.html=old", "img/old.png=png")
	dir := dirOf("index.html=home", "a/", "a/index.html=a", "css/", "css/main.css=css", "search/", "search/meta.json=meta",
		"old/", "old/index.html=old", "img/", "img/old.png=png")
	p := makePlan(build, owned, dir, false)
	var writes, removals []string
	for _, a := range p.Writes() {
		writes = append(writes, a.Kind.String()+" "+a.File.Path)
	}
	for _, a := range p.Removals() {
		removals = append(removals, a.File.Path)
	}
	wantWrites := []string{
		"new search/shards/xy.json", // new assets first: nothing refers to them yet
		"changed css/main.css",      // then changed assets
		"changed search/meta.json",  // (the search index that names the new shard)
		"new a/b/index.html",        // then new pages
		"changed a/index.html",      // then changed pages, deepest first
		"changed index.html",        // the home page last
	}
	if !reflect.DeepEqual(writes, wantWrites) {
		t.Errorf("writes\n got %q\nwant %q", writes, wantWrites)
	}
	if want := []string{"old/index.html", "img/old.png"}; !reflect.DeepEqual(removals, want) {
		t.Errorf("removals %q, want %q (pages before assets)", removals, want)
	}
	if got, want := p.Summary(), "2 new (17 B), 4 changed (24 B), 0 unchanged, 2 stale"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

func TestNeedsHash(t *testing.T) {
	build := mf("index.html=home", "b.html=bb")
	owned := ownedOf("index.html=home", "old.html=old")
	dir := dirOf("index.html=home", "b.html=xx", "c.html=c", "old.html=old")
	var got []string
	for name, e := range dir {
		if needsHash(name, e, build, owned) {
			got = append(got, name)
		}
	}
	sort.Strings(got)
	// b.html: foreign, same size as the build's; old.html: stale, must be verified.
	if want := []string{"b.html", "old.html"}; !reflect.DeepEqual(got, want) {
		t.Errorf("needsHash for %q, want %q", got, want)
	}
}
