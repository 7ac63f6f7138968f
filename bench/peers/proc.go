package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// runLogged runs a command to completion with its output in WORK/logs/NAME.log
// and returns its standard output.
func runLogged(ctx context.Context, c *config, name, dir string, env []string, prog string, args ...string) (string, error) {
	logPath := filepath.Join(c.work, "logs", name+".log")
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	os.WriteFile(logPath, []byte(fmt.Sprintf("$ %s %s\n(in %s)\n--- stdout\n%s\n--- stderr\n%s", prog, strings.Join(args, " "), dir, stdout.String(), stderr.String())), 0o644)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return stdout.String(), fmt.Errorf("%s %s: %v\n%s(log: %s)", prog, strings.Join(args, " "), err, tail(stderr.String(), 2000), logPath)
	}
	return stdout.String(), nil
}

// timed runs a command under GNU time and returns its wall time in seconds
// and its peak resident set size in KiB, exactly as time printed them.
func timed(ctx context.Context, c *config, name, dir string, prog string, args ...string) (measure, error) {
	tf := filepath.Join(c.work, "logs", name+".time")
	os.Remove(tf)
	targs := append([]string{"-f", "%e %M", "-o", tf, prog}, args...)
	if _, err := runLogged(ctx, c, name, dir, nil, c.timeBin, targs...); err != nil {
		return measure{}, err
	}
	b, err := os.ReadFile(tf)
	if err != nil {
		return measure{}, err
	}
	f := strings.Fields(lastLine(string(b)))
	if len(f) != 2 {
		return measure{}, fmt.Errorf("%s: cannot read %q", tf, b)
	}
	m := measure{wallText: f[0]}
	if m.wall, err = strconv.ParseFloat(f[0], 64); err != nil {
		return measure{}, err
	}
	if m.kib, err = strconv.ParseInt(f[1], 10, 64); err != nil {
		return measure{}, err
	}
	return m, nil
}

// measure is one timed run.
type measure struct {
	wall     float64 // seconds
	wallText string  // as /usr/bin/time printed it
	kib      int64   // peak resident set size
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// serverSet tracks the servers this program started, so that every exit
// path stops them; their process group ids are also listed in pidFile for
// bench/peers.sh's trap.
type serverSet struct {
	mu      sync.Mutex
	pidFile string
	procs   map[int]*exec.Cmd
}

var servers = &serverSet{procs: map[int]*exec.Cmd{}}

// start starts a server in its own process group, output to a log file.
func (s *serverSet) start(c *config, name, dir string, prog string, args ...string) (*exec.Cmd, error) {
	logFile, err := os.Create(filepath.Join(c.work, "logs", name+".log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(prog, args...)
	cmd.Dir = dir
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	s.procs[cmd.Process.Pid] = cmd
	s.writePids()
	go func() { cmd.Wait(); logFile.Close() }()
	return cmd, nil
}

// stop ends a server's process group: SIGTERM, then SIGKILL after 5 s.
func (s *serverSet) stop(cmd *exec.Cmd) {
	pid := cmd.Process.Pid
	syscall.Kill(-pid, syscall.SIGTERM)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if syscall.Kill(-pid, 0) != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if syscall.Kill(-pid, 0) == nil {
		syscall.Kill(-pid, syscall.SIGKILL)
	}
	s.mu.Lock()
	delete(s.procs, pid)
	s.writePids()
	s.mu.Unlock()
}

func (s *serverSet) stopAll() {
	s.mu.Lock()
	var cmds []*exec.Cmd
	for _, c := range s.procs {
		cmds = append(cmds, c)
	}
	s.mu.Unlock()
	for _, c := range cmds {
		s.stop(c)
	}
}

func (s *serverSet) writePids() {
	if s.pidFile == "" {
		return
	}
	var b strings.Builder
	for pid := range s.procs {
		fmt.Fprintln(&b, pid)
	}
	os.WriteFile(s.pidFile, []byte(b.String()), 0o644)
}

// freePort returns a port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// client talks to 127.0.0.1 only, ignoring any proxy settings.
var client = &http.Client{
	Timeout: 60 * time.Second,
	Transport: &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil || host != "127.0.0.1" {
				return nil, fmt.Errorf("bench-peers talks to 127.0.0.1 only, not %s", addr)
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
		DisableCompression: true,
	},
}

func get(ctx context.Context, url string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String(), err
}

// cpuTicks returns the user+system CPU time of a process (and its waited-for
// children) in clock ticks (1/100 s on Linux).
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected %q", pid, s)
	}
	f := strings.Fields(s[i+1:])
	// Fields after the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14).
	var sum int64
	for _, k := range []int{11, 12, 13, 14} {
		v, err := strconv.ParseInt(f[k], 10, 64)
		if err != nil {
			return 0, err
		}
		sum += v
	}
	return sum, nil
}

// waitIdle waits until a process has used at most one clock tick of CPU in
// each of three 200 ms intervals (or 30 s passed) and returns its CPU ticks
// then.
func waitIdle(ctx context.Context, pid int) (int64, error) {
	last, err := cpuTicks(pid)
	if err != nil {
		return 0, err
	}
	still := 0
	deadline := time.Now().Add(30 * time.Second)
	for still < 3 && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		t, err := cpuTicks(pid)
		if err != nil {
			return 0, err
		}
		if t-last <= 1 {
			still++
		} else {
			still = 0
		}
		last = t
	}
	return last, nil
}
