package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// cpuProfile starts a CPU profile (for go tool pprof) into the file that
// $LOA_CPUPROFILE names, when it is set, and returns the function that
// stops it and closes the file. A file that cannot be made is said on
// stderr, and the command runs without a profile.
func cpuProfile(stderr io.Writer) (stop func()) {
	p := os.Getenv("LOA_CPUPROFILE")
	if p == "" {
		return func() {}
	}
	f, err := os.Create(p)
	if err == nil {
		err = pprof.StartCPUProfile(f)
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "loa: no CPU profile: %s\n", printable(err))
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
