package validate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"syscall"

	"spotmigrate/manifest"
	"spotmigrate/oafiles"
)

// copyCandidate is an old file Spot 1.0 reads outside Impala, found while
// walking the tree.
type copyCandidate struct {
	unit oafiles.Unit
	rel  string // path from the root, for reports
	abs  string // path to read
}

// copies reads the file units of the tree and returns them as manifest
// copies (with the bytes that must land) and the file errors of those that
// cannot be converted, which block their pipeline's archive like any file
// error.
func (t *tree) copies() ([]manifest.Copy, []*file) {
	var out []manifest.Copy
	var bad []*file
	for _, c := range t.candidates {
		cp, err := readCopy(c)
		if err != nil {
			f := &file{}
			f.Path, f.Pipeline, f.Source, f.Tables, f.Error = c.rel, c.unit.Pipeline, c.unit.Kind, []string{}, err.Error()
			bad = append(bad, f)
			continue
		}
		out = append(out, cp)
	}
	return out, bad
}

// readCopy reads one candidate, converts it and records both sides.
func readCopy(c copyCandidate) (manifest.Copy, error) {
	src, err := readRegular(c.abs)
	if err != nil {
		return manifest.Copy{}, fmt.Errorf("cannot read file: %v", unwrapPath(err))
	}
	content, u, err := oafiles.Convert(c.unit, src)
	if err != nil {
		return manifest.Copy{}, err
	}
	return manifest.Copy{Pipeline: u.Pipeline, Kind: u.Kind, Source: c.rel, SourceBytes: int64(len(src)), SourceSHA256: hexSum(src),
		Dest: u.Dest, Convert: u.Convert, Bytes: int64(len(content)), SHA256: hexSum(content)}, nil
}

func hexSum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// maxCopyBytes bounds the old files read whole to be copied.
const maxCopyBytes = 256 << 20

// ReadRegular reads the regular file at p whole, never blocking on a FIFO
// or device put in its place since the walk.
func ReadRegular(p string) ([]byte, error) { return readRegular(p) }

func readRegular(p string) ([]byte, error) {
	fh, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer func() { _ = fh.Close() }()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", p)
	}
	if st.Size() > maxCopyBytes {
		return nil, fmt.Errorf("%s holds %d bytes, more than the %d a copied file may hold", p, st.Size(), maxCopyBytes)
	}
	return io.ReadAll(io.LimitReader(fh, maxCopyBytes+1))
}
