//go:build !unix

package publish

import "os"

// processAlive reports whether a process of this computer runs with pid.
// Where loa cannot ask cheaply, FindProcess failing is taken as the only
// sign that it is gone; otherwise the lock stays and the message says how to
// remove it.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
