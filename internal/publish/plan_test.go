package publish

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

// h returns the hash of content.
func h(content string) string { return sha(content) }

func mf(files ...string) *Manifest {
	m := &Manifest{Schema: SchemaVersion}
	for _, f := range files {
		name, content, _ := strings.Cut(f, "=")
		m.Files = append(m.Files, File{Path: name, Size: int64(len(content)), SHA256: h(content)})
	}
	m.sort()
	return m
}

// ownedOf makes loa's records of a complete publish of files.
func ownedOf(files ...string) map[string]*record {
	own := map[string]*record{}
	for _, f := range mf(files...).Files {
		own[f.Path] = &record{written: []File{f}, last: &f}
	}
	return own
}

// intending adds to own what an interrupted run meant to write; with
// done, what it finished.
func intending(own map[string]*record, done bool, files ...string) map[string]*record {
	if own == nil {
		own = map[string]*record{}
	}
	for _, f := range mf(files...).Files {
		r := own[f.Path]
		if r == nil {
			r = &record{}
			own[f.Path] = r
		}
		if done {
			r.written = append(r.written, f)
			r.last = &f
		} else {
			r.intended = append(r.intended, f)
			r.last = nil
		}
	}
	return own
}

// folder is what a test folder holds: "name=content" for a file, "name/"
// for a folder. hash answers for its files and notes which were asked.
type folder struct {
	dir    map[string]present
	hashes map[string]string
	asked  []string
}

func folderOf(entries ...string) *folder {
	f := &folder{dir: map[string]present{}, hashes: map[string]string{}}
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e, "/"); ok {
			f.dir[name] = present{Dir: true}
			continue
		}
		name, content, _ := strings.Cut(e, "=")
		f.dir[name] = present{Size: int64(len(content))}
		f.hashes[name] = h(content)
	}
	return f
}

func (f *folder) hash(name string) string {
	f.asked = append(f.asked, name)
	return f.hashes[name]
}

// planString lists a plan as "path:kind", with "-first" for a removal
// before the writes and "@name" for a write over another case of the name,
// then "rmdir:folder" for each folder removed before the writes.
func planString(p *Plan) string {
	var got []string
	for _, a := range p.Actions {
		s := a.File.Path + ":" + a.Kind.String()
		if a.First {
			s += "-first"
		}
		if a.At != "" {
			s += "@" + a.At
		}
		got = append(got, s)
	}
	for _, d := range p.Folders {
		got = append(got, "rmdir:"+d)
	}
	return strings.Join(got, " ")
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name  string
		build *Manifest
		owned map[string]*record
		dir   *folder
		force bool
		fold  bool   // the folder ignores case
		want  string // see planString
	}{
		{
			name:  "first publish into an empty folder",
			build: mf("index.html=home", "css/main.css=css"),
			dir:   folderOf("css/"),
			want:  "css/main.css:new index.html:new",
		},
		{
			name:  "same build again",
			build: mf("index.html=home", "css/main.css=css"),
			owned: ownedOf("index.html=home", "css/main.css=css"),
			dir:   folderOf("index.html=home", "css/", "css/main.css=css"),
			want:  "css/main.css:unchanged index.html:unchanged",
		},
		{
			name:  "changed, new and stale",
			build: mf("index.html=home v2", "a/index.html=a"),
			owned: ownedOf("index.html=home", "old/index.html=old"),
			dir:   folderOf("index.html=home", "old/", "old/index.html=old"),
			want:  "a/index.html:new index.html:changed old/index.html:stale",
		},
		{
			name:  "foreign files are left alone",
			build: mf("index.html=home"),
			owned: ownedOf("index.html=home"),
			dir:   folderOf("index.html=home", "tin-tuc.pdf=pdf", "other/", "other/x.html=x"),
			want:  "index.html:unchanged other/x.html:foreign tin-tuc.pdf:foreign",
		},
		{
			name:  "foreign file in the way stops the publish",
			build: mf("index.html=home"),
			dir:   folderOf("index.html=portal home"),
			want:  "index.html:conflict",
		},
		{
			name:  "foreign file in the way is replaced with force",
			build: mf("index.html=home"),
			dir:   folderOf("index.html=portal home"),
			force: true,
			want:  "index.html:replace",
		},
		{
			name:  "identical foreign file is adopted",
			build: mf("index.html=home"),
			dir:   folderOf("index.html=home"),
			want:  "index.html:adopt",
		},
		{
			name:  "stale file changed by someone is kept",
			build: mf("index.html=home"),
			owned: ownedOf("index.html=home", "old.html=old"),
			dir:   folderOf("index.html=home", "old.html=edited by the admin"),
			want:  "index.html:unchanged old.html:kept",
		},
		{
			name:  "loa's file deleted by someone is copied again",
			build: mf("index.html=home", "css/main.css=css"),
			owned: ownedOf("index.html=home", "css/main.css=css"),
			dir:   folderOf("index.html=home"),
			want:  "css/main.css:new index.html:unchanged",
		},
		{
			name:  "loa's file changed by someone is no longer loa's to overwrite",
			build: mf("index.html=home v2"),
			owned: ownedOf("index.html=home"),
			dir:   folderOf("index.html=home, edited"),
			want:  "index.html:conflict",
		},
		{
			name:  "loa's file changed by someone is replaced with force",
			build: mf("index.html=home v2"),
			owned: ownedOf("index.html=home"),
			dir:   folderOf("index.html=home, edited"),
			force: true,
			want:  "index.html:replace",
		},
		{
			name:  "stale file already gone",
			build: mf("index.html=home"),
			owned: ownedOf("index.html=home", "gone.html=x"),
			dir:   folderOf("index.html=home"),
			want:  "index.html:unchanged",
		},
		{
			name:  "interrupted run: a file it meant to replace still holds loa's old content",
			build: mf("index.html=home v2"),
			owned: intending(ownedOf("index.html=home"), false, "index.html=home v2"),
			dir:   folderOf("index.html=home"),
			want:  "index.html:changed",
		},
		{
			name:  "interrupted run: a file it finished is not copied again",
			build: mf("index.html=home v2"),
			owned: intending(ownedOf("index.html=home"), true, "index.html=home v2"),
			dir:   folderOf("index.html=home v2"),
			want:  "index.html:unchanged",
		},
		{
			name:  "interrupted run: a file it finished, then a build that goes back",
			build: mf("css/main.css=css v1"),
			owned: intending(ownedOf("css/main.css=css v1"), true, "css/main.css=css v2"),
			dir:   folderOf("css/", "css/main.css=css v2"),
			want:  "css/main.css:changed",
		},
		{
			name:  "interrupted run: a file it may have replaced, then a build that goes back",
			build: mf("css/main.css=css v1"),
			owned: intending(ownedOf("css/main.css=css v1"), false, "css/main.css=css v2"),
			dir:   folderOf("css/", "css/main.css=css v2"),
			want:  "css/main.css:changed",
		},
		{
			name:  "interrupted run: a file it wrote but the build no longer has is stale",
			build: mf("index.html=home"),
			owned: intending(ownedOf("index.html=home"), false, "half.html=half"),
			dir:   folderOf("index.html=home", "half.html=half"),
			want:  "half.html:stale index.html:unchanged",
		},
		{
			name:  "interrupted run: a file someone made where it meant to write is foreign",
			build: mf("index.html=home"),
			owned: intending(ownedOf("index.html=home"), false, "notes/keep.txt=loa's notes"),
			dir:   folderOf("index.html=home", "notes/", "notes/keep.txt=mine"),
			want:  "index.html:unchanged notes/keep.txt:foreign",
		},
		{
			name:  "interrupted run: a file someone made where the rerun writes stops it",
			build: mf("notes/keep.txt=loa's notes"),
			owned: intending(nil, false, "notes/keep.txt=loa's notes"),
			dir:   folderOf("notes/", "notes/keep.txt=mine"),
			want:  "notes/keep.txt:conflict",
		},
		{
			name:  "a foreign file where the build needs a folder",
			build: mf("tin/index.html=x"),
			dir:   folderOf("tin=file"),
			want:  "tin:foreign tin/index.html:conflict",
		},
		{
			name:  "a foreign file where the build needs a folder, with force",
			build: mf("tin/index.html=x"),
			dir:   folderOf("tin=file"),
			force: true,
			want:  "tin:foreign tin/index.html:conflict",
		},
		{
			name:  "loa's stale file where the build needs a folder is removed first",
			build: mf("tai-lieu/mau/don.pdf=pdf"),
			owned: ownedOf("tai-lieu/mau=old pdf"),
			dir:   folderOf("tai-lieu/", "tai-lieu/mau=old pdf"),
			want:  "tai-lieu/mau:stale-first tai-lieu/mau/don.pdf:new",
		},
		{
			name:  "loa's stale file where the build needs a folder, changed by someone",
			build: mf("tai-lieu/mau/don.pdf=pdf"),
			owned: ownedOf("tai-lieu/mau=old pdf"),
			dir:   folderOf("tai-lieu/", "tai-lieu/mau=edited pdf"),
			want:  "tai-lieu/mau:kept tai-lieu/mau/don.pdf:conflict",
		},
		{
			name:  "a foreign folder where the build needs a file",
			build: mf("tin=x"),
			dir:   folderOf("tin/", "tin/a.html=a"),
			want:  "tin:conflict tin/a.html:foreign",
		},
		{
			name:  "an empty folder where the build needs a file",
			build: mf("tin=x"),
			dir:   folderOf("tin/"),
			want:  "tin:conflict",
		},
		{
			name:  "an empty folder loa made for a file it meant to write",
			build: mf("tin=x"),
			owned: intending(nil, false, "tin/a/b.html=b"),
			dir:   folderOf("tin/", "tin/a/"),
			want:  "tin:new rmdir:tin/a rmdir:tin",
		},
		{
			name:  "loa's folder with an empty folder in it",
			build: mf("tin=x"),
			owned: ownedOf("tin/a.html=a"),
			dir:   folderOf("tin/", "tin/a.html=a", "tin/uploads/"),
			want:  "tin:conflict tin/a.html:stale",
		},
		{
			name:  "loa's stale folder where the build needs a file is emptied first",
			build: mf("tai-lieu/mau=pdf"),
			owned: ownedOf("tai-lieu/mau/don.pdf=old pdf", "tai-lieu/mau/a/b.pdf=b"),
			dir:   folderOf("tai-lieu/", "tai-lieu/mau/", "tai-lieu/mau/don.pdf=old pdf", "tai-lieu/mau/a/", "tai-lieu/mau/a/b.pdf=b"),
			want:  "tai-lieu/mau:new tai-lieu/mau/a/b.pdf:stale-first tai-lieu/mau/don.pdf:stale-first rmdir:tai-lieu/mau/a rmdir:tai-lieu/mau",
		},
		{
			name:  "loa's folder that also holds a foreign file stays",
			build: mf("tai-lieu/mau=pdf"),
			owned: ownedOf("tai-lieu/mau/don.pdf=old pdf"),
			dir:   folderOf("tai-lieu/", "tai-lieu/mau/", "tai-lieu/mau/don.pdf=old pdf", "tai-lieu/mau/ghi-chu.txt=note"),
			force: true,
			want:  "tai-lieu/mau:conflict tai-lieu/mau/don.pdf:stale tai-lieu/mau/ghi-chu.txt:foreign",
		},
		{
			name:  "a folder that tells case apart: a renamed file is new, the old name stale",
			build: mf("img/logo.png=png"),
			owned: ownedOf("img/Logo.png=png"),
			dir:   folderOf("img/", "img/Logo.png=png"),
			want:  "img/Logo.png:stale img/logo.png:new",
		},
		{
			name:  "a folder that ignores case: a renamed file is written over its old name, never removed",
			build: mf("img/logo.png=png"),
			owned: ownedOf("img/Logo.png=png"),
			dir:   folderOf("img/", "img/Logo.png=png"),
			fold:  true,
			want:  "img/logo.png:changed@img/Logo.png",
		},
		{
			name:  "a folder that ignores case: a renamed and changed file",
			build: mf("img/logo.png=png v2"),
			owned: ownedOf("img/Logo.png=png"),
			dir:   folderOf("img/", "img/Logo.png=png"),
			fold:  true,
			want:  "img/logo.png:changed@img/Logo.png",
		},
		{
			name:  "a folder that ignores case: a foreign file under another case",
			build: mf("img/logo.png=png"),
			dir:   folderOf("img/", "img/LOGO.PNG=portal logo"),
			fold:  true,
			want:  "img/logo.png:conflict@img/LOGO.PNG",
		},
		{
			name:  "a folder that ignores case: a build with two names for one file",
			build: mf("A.html=a", "a.html=b"),
			fold:  true,
			want:  "A.html:new a.html:conflict",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.dir
			if dir == nil {
				dir = folderOf()
			}
			p := makePlan(planInput{build: tt.build, owned: tt.owned, dir: dir.dir, hash: dir.hash, force: tt.force, fold: tt.fold})
			if g := planString(p); g != tt.want {
				t.Errorf("plan\n got %s\nwant %s", g, tt.want)
			}
		})
	}
}

// TestPlanReadsOnlyWhatItMust: a file is read (hashed) only to prove it is
// loa's before it is overwritten or removed, or to find a foreign one
// identical to the build; a republish of the same build reads nothing.
func TestPlanReadsOnlyWhatItMust(t *testing.T) {
	tests := []struct {
		name  string
		build *Manifest
		owned map[string]*record
		dir   *folder
		want  string // the names hashed, sorted
	}{
		{
			name:  "same build again",
			build: mf("index.html=home", "css/main.css=css"),
			owned: ownedOf("index.html=home", "css/main.css=css"),
			dir:   folderOf("index.html=home", "css/", "css/main.css=css", "robots.txt=x"),
			want:  "",
		},
		{
			name:  "changed and stale files are proven, foreign ones left unread",
			build: mf("index.html=home v2", "b.html=bb"),
			owned: ownedOf("index.html=home", "old.html=old", "resized.html=r"),
			dir:   folderOf("index.html=home", "b.html=xyz", "c.html=c", "old.html=old", "resized.html=rr"),
			want:  "index.html old.html",
		},
		{
			name:  "a foreign file the size of the build's",
			build: mf("b.html=bb"),
			dir:   folderOf("b.html=xx"),
			want:  "b.html",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			makePlan(planInput{build: tt.build, owned: tt.owned, dir: tt.dir.dir, hash: tt.dir.hash})
			sort.Strings(tt.dir.asked)
			if got := strings.Join(tt.dir.asked, " "); got != tt.want {
				t.Errorf("hashed %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPlanOrder(t *testing.T) {
	build := mf("index.html=home v2", "a/index.html=a v2", "a/b/index.html=new page", "css/main.css=css v2",
		"search/shards/xy.json=new shard", "search/meta.json=meta v2")
	owned := ownedOf("index.html=home", "a/index.html=a", "css/main.css=css", "search/meta.json=meta",
		"old/index.html=old", "img/old.png=png")
	dir := folderOf("index.html=home", "a/", "a/index.html=a", "css/", "css/main.css=css", "search/", "search/meta.json=meta",
		"old/", "old/index.html=old", "img/", "img/old.png=png")
	p := makePlan(planInput{build: build, owned: owned, dir: dir.dir, hash: dir.hash})
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
