package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"loa/internal/sitetest"
)

// stubs are shell scripts put first on PATH in place of the commands `make
// deps` runs. Each records its arguments in $STUB_LOG; apt-get "installs" a
// package by creating the file the real package would.
var stubs = map[string]string{
	"id": `#!/bin/sh
echo "$STUB_UID"`,
	"sudo": `#!/bin/sh
echo "sudo $*" >> "$STUB_LOG"
exec "$@"`,
	"apt-get": `#!/bin/sh
echo "apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND uid=$(id -u)" >> "$STUB_LOG"
[ "$1" = install ] || exit 0
for p in "$@"; do
	case "$p" in
	chromium) printf '#!/bin/sh\n' > "$STUB_CHROMIUM"; chmod +x "$STUB_CHROMIUM" ;;
	nodejs) printf '#!/bin/sh\n' > "$STUB_BIN/node"; chmod +x "$STUB_BIN/node" ;;
	npm) cp "$STUB_BIN/npm.stub" "$STUB_BIN/npm"; chmod +x "$STUB_BIN/npm" ;;
	poppler-utils) printf '#!/bin/sh\n' > "$STUB_BIN/pdftoppm"; chmod +x "$STUB_BIN/pdftoppm" ;;
	zbar-tools) printf '#!/bin/sh\n' > "$STUB_BIN/zbarimg"; chmod +x "$STUB_BIN/zbarimg" ;;
	esac
done`,
	"npm.stub": `#!/bin/sh
echo "npm $*" >> "$STUB_LOG"
mkdir -p node_modules/axe-core && : > node_modules/axe-core/axe.min.js`,
}

// TestMakeDeps runs the deps recipe of the Makefile with stub commands and
// checks what it installs, how (apt-get directly as root, through sudo
// otherwise) and that it exits 0, so the install branch that a fresh machine
// takes is exercised on every run, even where everything is installed.
func TestMakeDeps(t *testing.T) {
	makePath, err := exec.LookPath("make")
	if err != nil {
		t.Fatalf("make is required: %v", err)
	}
	root := sitetest.RepoRoot(t)
	cases := []struct {
		name     string
		uid      string
		sudo     bool // a sudo command exists
		chromium bool // chromium is installed
		node     bool // node and npm are installed
		print    bool // pdftoppm and zbarimg are installed
		axe      bool // node_modules/axe-core is installed
		wantErr  string
		want     []string // lines of the stub log, in order
	}{
		{name: "root without sudo, chromium missing", uid: "0", node: true, print: true, want: []string{
			"apt-get update -qq DEBIAN_FRONTEND=noninteractive uid=0",
			"apt-get install -y -qq chromium DEBIAN_FRONTEND=noninteractive uid=0",
			"npm ci --no-audit --no-fund",
		}},
		{name: "user with sudo, chromium missing", uid: "1000", sudo: true, node: true, print: true, axe: true, want: []string{
			"sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
			"apt-get update -qq DEBIAN_FRONTEND=noninteractive uid=1000",
			"sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
			"apt-get install -y -qq chromium DEBIAN_FRONTEND=noninteractive uid=1000",
		}},
		{name: "root, node and the print tools missing too", uid: "0", want: []string{
			"apt-get update -qq DEBIAN_FRONTEND=noninteractive uid=0",
			"apt-get install -y -qq chromium nodejs npm poppler-utils zbar-tools DEBIAN_FRONTEND=noninteractive uid=0",
			"npm ci --no-audit --no-fund",
		}},
		{name: "everything installed", uid: "1000", chromium: true, node: true, print: true, axe: true},
		{name: "user without sudo", uid: "1000", node: true, print: true, axe: true,
			wantErr: "make deps: the tests need Debian packages: chromium; run as root: apt-get update && apt-get install -y chromium"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			bin := filepath.Join(tmp, "bin")
			work := filepath.Join(tmp, "work")
			for _, d := range []string{bin, work} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			write := func(name, text string) {
				t.Helper()
				if err := os.WriteFile(filepath.Join(bin, name), []byte(text+"\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for name, text := range stubs {
				if name == "sudo" && !c.sudo {
					continue
				}
				write(name, text)
			}
			if c.node {
				write("node", "#!/bin/sh")
				write("npm", stubs["npm.stub"])
			}
			if c.print {
				write("pdftoppm", "#!/bin/sh")
				write("zbarimg", "#!/bin/sh")
			}
			// The few real tools the recipe and the stubs use; nothing else
			// of the machine is on PATH, so a real apt-get or sudo cannot run.
			for _, tool := range []string{"sh", "env", "chmod", "mkdir", "cp", "cat"} {
				real, err := exec.LookPath(tool)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(real, filepath.Join(bin, tool)); err != nil {
					t.Fatal(err)
				}
			}
			chromium := filepath.Join(tmp, "chromium")
			if c.chromium {
				if err := os.WriteFile(chromium, []byte("#!/bin/sh\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if c.axe {
				if err := os.MkdirAll(filepath.Join(work, "node_modules/axe-core"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(work, "node_modules/axe-core/axe.min.js"), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			logFile := filepath.Join(tmp, "log")
			cmd := exec.Command(makePath, "-s", "-f", filepath.Join(root, "Makefile"), "-C", work, "deps", "CHROMIUM="+chromium)
			cmd.Env = []string{"PATH=" + bin, "STUB_LOG=" + logFile, "STUB_UID=" + c.uid, "STUB_BIN=" + bin,
				"STUB_CHROMIUM=" + chromium, "HOME=" + tmp}
			out, err := cmd.CombinedOutput()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(string(out), c.wantErr) {
					t.Fatalf("make deps: err %v, output:\n%s\nwant a failure saying %q", err, out, c.wantErr)
				}
			} else if err != nil {
				t.Fatalf("make deps: %v\n%s", err, out)
			}
			logged, _ := os.ReadFile(logFile)
			got := strings.Split(strings.TrimSpace(string(logged)), "\n")
			if len(logged) == 0 {
				got = nil
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("commands run:\n%s\nwant:\n%s\noutput:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"), out)
			}
			if len(c.want) > 0 && !strings.Contains(string(out), "make deps: installing") {
				t.Errorf("make deps does not say what it installs:\n%s", out)
			}
		})
	}
}

// TestBenchPeersInstall runs the install steps of bench/peers.sh (`make
// bench-peers`) with stub commands: a nonsense N is refused; missing Hugo,
// Chromium, GNU time and Pagefind are installed with apt-get (no recommends) and npm
// (pinned, into bench/.peers/), as root directly and otherwise through sudo.
func TestBenchPeersInstall(t *testing.T) {
	root := sitetest.RepoRoot(t)
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, n, uid string
		sudo         bool
		wantCode     int
		want         []string // log lines
		wantErr      string
	}{
		{name: "nonsense N", n: "12abc", uid: "0", wantCode: 2, wantErr: `bench-peers: N="12abc" is not a number of pages`},
		{name: "too many pages", n: "200000", uid: "0", wantCode: 2, wantErr: "bench-peers: N=200000 is more pages than this harness is meant for"},
		{name: "root installs", n: "10", uid: "0", want: []string{
			"apt-get update -qq DEBIAN_FRONTEND=noninteractive uid=0",
			"apt-get install -y -qq --no-install-recommends time hugo chromium DEBIAN_FRONTEND=noninteractive uid=0",
			"npm install --prefix bench/.peers --no-audit --no-fund --save-exact pagefind@1.6.0",
		}},
		{name: "user with sudo", n: "10", uid: "1000", sudo: true, want: []string{
			"sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
			"apt-get update -qq DEBIAN_FRONTEND=noninteractive uid=1000",
			"sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends time hugo chromium",
			"apt-get install -y -qq --no-install-recommends time hugo chromium DEBIAN_FRONTEND=noninteractive uid=1000",
			"npm install --prefix bench/.peers --no-audit --no-fund --save-exact pagefind@1.6.0",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			bin := filepath.Join(tmp, "bin")
			if err := os.Mkdir(bin, 0o755); err != nil {
				t.Fatal(err)
			}
			write := func(name, text string) {
				t.Helper()
				if err := os.WriteFile(filepath.Join(bin, name), []byte(text+"\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			write("id", stubs["id"])
			write("apt-get", `#!/bin/sh
echo "apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND uid=$(id -u)" >> "$STUB_LOG"`)
			write("npm", `#!/bin/sh
echo "npm $*" >> "$STUB_LOG"`)
			write("node", "#!/bin/sh")
			if c.sudo {
				write("sudo", stubs["sudo"])
			}
			for _, tool := range []string{"env", "mkdir", "cat", "rm", "dirname"} {
				real, err := exec.LookPath(tool)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(real, filepath.Join(bin, tool)); err != nil {
					t.Fatal(err)
				}
			}
			logFile := filepath.Join(tmp, "log")
			cmd := exec.Command(sh, filepath.Join(root, "bench", "peers.sh"), c.n)
			cmd.Env = []string{"PATH=" + bin, "STUB_LOG=" + logFile, "STUB_UID=" + c.uid, "HOME=" + tmp,
				"CHROMIUM=" + filepath.Join(tmp, "no-chromium"), "GNU_TIME=" + filepath.Join(tmp, "no-time"), "BENCH_PEERS_OUT=" + filepath.Join(tmp, "out"), "BENCH_PEERS_INSTALL_ONLY=1"}
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.wantCode || !strings.Contains(string(out), c.wantErr) {
				t.Fatalf("exit %d, output:\n%s\nwant exit %d and %q", code, out, c.wantCode, c.wantErr)
			}
			logged, _ := os.ReadFile(logFile)
			got := strings.TrimSpace(string(logged))
			if got != strings.Join(c.want, "\n") {
				t.Errorf("commands run:\n%s\nwant:\n%s\noutput:\n%s", got, strings.Join(c.want, "\n"), out)
			}
		})
	}
}
