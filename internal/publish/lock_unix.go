//go:build unix

package publish

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process of this computer runs with pid
// (signal 0 checks without sending anything; EPERM means it runs under
// another user).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
