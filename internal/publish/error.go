package publish

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// Error is a problem with a file or folder, for a person to fix. It reads
// "path: what is wrong: cause; what to do" and unwraps to the cause.
type Error struct {
	Path    string // the file or folder, as the user named it
	Problem string // what is wrong, e.g. "cannot write"
	Fix     string // what to do about it; may be empty
	Err     error  // the cause; may be nil
}

func (e *Error) Error() string {
	s := e.Path + ": " + e.Problem
	if e.Err != nil {
		s += ": " + causeText(e.Err)
	}
	if e.Fix != "" {
		s += "; " + e.Fix
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// causeText drops the operation and path from an fs.PathError: the Error
// already names the path, as the user knows it.
func causeText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// ioError turns a failed write into an Error whose advice fits the cause.
func ioError(where, problem string, err error, rerun string) *Error {
	e := &Error{Path: where, Problem: problem, Err: err}
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		e.Fix = "the disk is full: free some space there, then " + rerun
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		e.Fix = "loa may not write there: ask for write access (or choose another folder), then " + rerun
	default:
		e.Fix = rerun
	}
	return e
}
