package migrate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/colinmarc/hdfs/v2"

	"spotmigrate/catalog"
	"spotmigrate/manifest"
	"spotmigrate/oafiles"
	"spotmigrate/reconcile"
	"spotmigrate/validate"
)

// FileStore is where the files Spot 1.0 reads outside Impala land: HDFS
// below HUSER, or a local folder that mirrors it.
type FileStore interface {
	// Put writes content at dest (a slash path below the store's root)
	// through a temporary name, checks its size and renames it into place.
	Put(ctx context.Context, dest string, content []byte) error
	// Read returns the content at dest (an error wrapping fs.ErrNotExist
	// when there is none).
	Read(ctx context.Context, dest string) ([]byte, error)
	// Where names dest for people.
	Where(dest string) string
}

// ErrBadDest is returned for a destination that would leave its store.
var ErrBadDest = errors.New("not a path below the store")

// checkDest refuses a destination that is not a plain relative path.
func checkDest(dest string) error {
	if dest == "" || path.IsAbs(dest) || path.Clean(dest) != dest || strings.HasPrefix(dest, "../") || dest == ".." ||
		!filepath.IsLocal(filepath.FromSlash(dest)) {
		return fmt.Errorf("failed to place %q: %w", dest, ErrBadDest)
	}
	return nil
}

// LocalStore is a folder: the embedded target's mirror of HDFS, or the new
// spot-oa folder of the notebooks.
type LocalStore struct{ Root string }

// Where implements FileStore.
func (s LocalStore) Where(dest string) string { return filepath.Join(s.Root, filepath.FromSlash(dest)) }

// Put implements FileStore: temporary file, fsync, size check, rename,
// fsync of the folder.
func (s LocalStore) Put(_ context.Context, dest string, content []byte) error {
	if err := checkDest(dest); err != nil {
		return err
	}
	p := s.Where(dest)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("failed to create %s: %w", filepath.Dir(p), err)
	}
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp")
	if err := writeSynced(tmp, content); err != nil {
		return fmt.Errorf("failed to write %s: %w", tmp, err)
	}
	st, err := os.Stat(tmp)
	if err != nil || st.Size() != int64(len(content)) {
		return fmt.Errorf("failed to write %s: size check failed (%v)", tmp, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("failed to write %s: %w", p, err)
	}
	return nil
}

// Read implements FileStore.
func (s LocalStore) Read(_ context.Context, dest string) ([]byte, error) {
	if err := checkDest(dest); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(s.Where(dest))
	if err != nil {
		return nil, fmt.Errorf("failed to read %s: %w", s.Where(dest), err)
	}
	return b, nil
}

// hdfsStore is HDFS below HUSER.
type hdfsStore struct {
	connect func() (*hdfs.Client, error)
	root    string
}

func (s hdfsStore) Where(dest string) string { return path.Join(s.root, dest) }

func (s hdfsStore) Put(_ context.Context, dest string, content []byte) error {
	if err := checkDest(dest); err != nil {
		return err
	}
	c, err := s.connect()
	if err != nil {
		return err
	}
	return putHDFS(c, bytes.NewReader(content), int64(len(content)), s.Where(dest))
}

func (s hdfsStore) Read(_ context.Context, dest string) ([]byte, error) {
	if err := checkDest(dest); err != nil {
		return nil, err
	}
	c, err := s.connect()
	if err != nil {
		return nil, err
	}
	f, err := c.Open(s.Where(dest))
	if err != nil {
		if isNotExist(err) {
			err = fmt.Errorf("%w: %v", fs.ErrNotExist, err)
		}
		return nil, fmt.Errorf("failed to read %s: %w", s.Where(dest), err)
	}
	defer func() { _ = f.Close() }()
	return io.ReadAll(f)
}

// fileUnit is the ledger name of a copy.
func fileUnit(c manifest.Copy) unitKey {
	return unitKey{name: "file:" + c.Kind + ":" + c.Dest, rows: c.Bytes, checksum: c.SHA256}
}

// copyFiles puts every copy of the manifest that the ledger does not know
// as done, each read again from the tree and converted again: its bytes
// must be the ones validate recorded.
func (mg *migration) copyFiles(ctx context.Context) error {
	if len(mg.m.Copies) == 0 {
		return nil
	}
	store, err := mg.opt.Engine.Files()
	if err != nil {
		return err
	}
	for _, c := range mg.m.Copies {
		if c.Kind == oafiles.Notebook {
			continue
		}
		k := fileUnit(c)
		if mg.led.reconciled([]unitKey{k}) || mg.led.copied(k) {
			continue
		}
		if err := mg.r.op("copy", copyDesc(c, store), func() error { return mg.putCopy(ctx, store, c) }); err != nil {
			return err
		}
		if err := mg.mark([]unitKey{k}, PhaseCopied, false); err != nil {
			return err
		}
	}
	return nil
}

func copyDesc(c manifest.Copy, store FileStore) string {
	how := "byte for byte"
	if c.Convert != "" {
		how = "converted " + c.Convert
	}
	return fmt.Sprintf("%s %s to %s (%s, %d bytes)", c.Kind, c.Source, store.Where(c.Dest), how, c.Bytes)
}

// putCopy reads, converts and writes one copy.
func (mg *migration) putCopy(ctx context.Context, store FileStore, c manifest.Copy) error {
	src, err := validate.ReadRegular(filepath.Join(mg.root, filepath.FromSlash(c.Source)))
	if err != nil {
		return fmt.Errorf("failed to copy %s: %w", c.Source, err)
	}
	content, _, err := oafiles.Convert(oafiles.Unit{Pipeline: c.Pipeline, Kind: c.Kind, Source: c.Source, Dest: c.Dest}, src)
	if err != nil {
		return fmt.Errorf("failed to copy %s: %w", c.Source, err)
	}
	if sum := sha256Hex(content); sum != c.SHA256 {
		return fmt.Errorf("failed to copy %s: %w: it changed since it was validated", c.Source, ErrPinChanged)
	}
	return store.Put(ctx, c.Dest, content)
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// notebooks creates the two per-date notebooks of every migrated date from
// the 1.0 templates, below the new spot-oa folder; a notebook that already
// stands there with other content is never overwritten (Kept). They are
// added to the manifest as copies.
func (mg *migration) notebooks(ctx context.Context) error {
	if mg.opt.NotebookTemplates == "" || mg.opt.NewOAPath == "" {
		return nil
	}
	store := LocalStore{Root: mg.opt.NewOAPath}
	mg.m.NotebookRoot = mg.opt.NewOAPath
	for _, pipe := range mg.m.Pipelines {
		for _, day := range migratedDays(mg.m, pipe) {
			for _, u := range oafiles.Notebooks(pipe, day) {
				c, err := mg.notebook(ctx, store, u)
				if err != nil {
					return err
				}
				mg.m.Copies = append(mg.m.Copies, c)
			}
		}
	}
	if mg.opt.DryRun {
		return nil
	}
	return mg.saveManifest()
}

// notebook writes one notebook unless one stands at its place.
func (mg *migration) notebook(ctx context.Context, store LocalStore, u oafiles.Unit) (manifest.Copy, error) {
	tpl, err := templatePath(mg.opt.NotebookTemplates, u)
	if err != nil {
		return manifest.Copy{}, err
	}
	content, err := validate.ReadRegular(tpl)
	if err != nil {
		return manifest.Copy{}, fmt.Errorf("failed to read notebook template: %w", err)
	}
	sum := sha256Hex(content)
	c := manifest.Copy{Pipeline: u.Pipeline, Kind: u.Kind, Source: tpl, SourceBytes: int64(len(content)), SourceSHA256: sum,
		Dest: u.Dest, Bytes: int64(len(content)), SHA256: sum}
	if have, err := store.Read(ctx, u.Dest); err == nil {
		c.Kept = sha256Hex(have) != sum
		if c.Kept {
			mg.res.KeptNotebooks = append(mg.res.KeptNotebooks, store.Where(u.Dest))
		}
		return c, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return c, err
	}
	err = mg.r.op("copy", fmt.Sprintf("notebook %s to %s (created once, never overwritten)", tpl, store.Where(u.Dest)),
		func() error { return store.Put(ctx, u.Dest, content) })
	return c, err
}

// templatePath finds a notebook template: DIR/<pipe>/ipynb_templates/NAME
// (DIR the new install's spot-oa/oa), or DIR/NAME.
func templatePath(dir string, u oafiles.Unit) (string, error) {
	for _, p := range []string{filepath.Join(dir, u.Pipeline, "ipynb_templates", u.Source), filepath.Join(dir, u.Source)} {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("failed to find notebook template %s for %s in %s (want %s/%s/ipynb_templates/ or the folder itself)",
		u.Source, u.Pipeline, dir, dir, u.Pipeline)
}

// migratedDays are the dates (YYYYMMDD) with a partition of pipe.
func migratedDays(m *manifest.Manifest, pipe string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range m.Partitions {
		if t, ok := catalog.TableByName(p.Table); ok && t.Pipeline == pipe {
			d := fmt.Sprintf("%04d%02d%02d", p.Y, p.M, p.D)
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	sort.Strings(out)
	return out
}

// checkFiles reads back every copy of the run into the reconcile report.
func (mg *migration) checkFiles(ctx context.Context, rep *reconcile.Report) error {
	files, err := mg.opt.Engine.Files()
	if err != nil {
		return err
	}
	return rep.CheckFiles(ctx, mg.m, files, NotebookStore(mg.m))
}

// NotebookStore is the folder the manifest's notebooks are in, or nil.
func NotebookStore(m *manifest.Manifest) reconcile.FileReader {
	if m.NotebookRoot == "" {
		return nil
	}
	return LocalStore{Root: m.NotebookRoot}
}
