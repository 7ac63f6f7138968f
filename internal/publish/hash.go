package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
)

// hashWriter passes writes through and keeps their size and SHA-256.
type hashWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func newHashWriter(w io.Writer) *hashWriter { return &hashWriter{w: w, h: sha256.New()} }

func (hw *hashWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

func (hw *hashWriter) file(name string) File {
	return File{Path: name, Size: hw.n, SHA256: hex.EncodeToString(hw.h.Sum(nil))}
}
