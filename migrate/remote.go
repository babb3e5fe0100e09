package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/colinmarc/hdfs/v2"
	"github.com/sclgo/impala-go"

	"spotmigrate/catalog"
	"spotmigrate/dialect"
)

// RemoteOptions configure the distributed target: an Impala daemon (or
// another HiveServer2 engine, see dialect.Hive) over HDFS.
type RemoteOptions struct {
	Dialect dialect.Dialect
	// Host and Port of the HiveServer2-protocol endpoint (Impala: 21050).
	Host, Port string
	// User and Password for LDAP (PLAIN SASL) authentication; empty User
	// means no authentication. The password is never printed.
	User, Password string
	TLS            bool
	CACert         string
	// HDFS is the client of the file system holding tables and staging.
	HDFS HDFSOptions
	// StagingPath is the HDFS folder for the staging files and database.
	StagingPath string
	// HUser is the HDFS base of the Spot 1.0 tables (spot.conf HUSER).
	HUser string
	DB    string
	// LedgerDir holds the local ledger of this target; empty means
	// StateDir().
	LedgerDir string
	// ComputeStats runs the dialect's statistics statement after a load.
	ComputeStats bool
}

// Remote is the distributed target.
type Remote struct {
	opt  RemoteOptions
	db   *sql.DB
	fs   *hdfs.Client
	name string
}

// NewRemote checks the options and returns the engine; it connects on Open.
func NewRemote(opt RemoteOptions) (*Remote, error) {
	if opt.Host == "" {
		return nil, fmt.Errorf("failed to configure Impala: no host")
	}
	if opt.Port == "" {
		opt.Port = "21050"
	}
	if !strings.HasPrefix(opt.StagingPath, "/") || strings.ContainsAny(opt.StagingPath, "'\\\n\x00") || path.Clean(opt.StagingPath) == "/" {
		return nil, fmt.Errorf("failed to configure staging: %q is not an absolute HDFS folder below /", opt.StagingPath)
	}
	opt.StagingPath = path.Clean(opt.StagingPath)
	if !strings.HasPrefix(opt.HUser, "/") || strings.ContainsAny(opt.HUser, "'\\\n\x00") {
		return nil, fmt.Errorf("failed to configure HUSER: %q is not an absolute HDFS folder", opt.HUser)
	}
	return &Remote{opt: opt, name: opt.Dialect.Name() + "://" + net.JoinHostPort(opt.Host, opt.Port)}, nil
}

// Name implements Engine.
func (e *Remote) Name() string { return e.name }

// Dialect implements Engine.
func (e *Remote) Dialect() dialect.Dialect { return e.opt.Dialect }

// Open implements Engine: one HiveServer2 session (HDFS is reached when
// first needed).
func (e *Remote) Open(ctx context.Context) (DB, error) {
	opts := impala.DefaultOptions
	opts.Host, opts.Port = e.opt.Host, e.opt.Port
	opts.UseTLS, opts.CACertPath = e.opt.TLS, e.opt.CACert
	if e.opt.User != "" {
		opts.UseLDAP, opts.Username, opts.Password = true, e.opt.User, e.opt.Password
	}
	opts.SocketTimeout = 10 * time.Minute
	var conn = impala.NewConnector(&opts)
	if _, ok := e.opt.Dialect.(dialect.Hive); ok {
		opts.BatchSize = hiveBatch
		conn = hiveConnector{impala.NewConnector(&opts)}
	}
	e.db = sql.OpenDB(conn)
	e.db.SetMaxOpenConns(1)
	if err := e.db.PingContext(ctx); err != nil {
		_ = e.Close()
		return nil, fmt.Errorf("failed to connect to %s: %w", e.name, err)
	}
	return e.db, nil
}

// TableLocation implements Engine.
func (e *Remote) TableLocation(table string) string {
	t, _ := catalog.TableByName(table)
	return dialect.Location(e.opt.HUser, t)
}

// StagingDBLocation implements Engine.
func (e *Remote) StagingDBLocation() string { return e.opt.StagingPath + "/db" }

// StagingLocation implements Engine.
func (e *Remote) StagingLocation(table, _ string) string { return e.opt.StagingPath + "/" + table }

// Upload implements Engine: every staging file is written under a
// temporary name, its size checked, then renamed, so a table never reads a
// half-written file.
func (e *Remote) Upload(ctx context.Context, r *runner, table, localDir string) error {
	remote := e.StagingLocation(table, "")
	return r.op("hdfs", "upload "+localDir+" to "+remote+" (write .tmp, check size, rename)", func() error {
		if err := e.hdfs(); err != nil {
			return err
		}
		if err := e.fs.RemoveAll(remote); err != nil && !isNotExist(err) {
			return fmt.Errorf("failed to clear %s: %w", remote, err)
		}
		return uploadTree(ctx, e.fs, localDir, remote)
	})
}

// hdfs connects to HDFS once.
func (e *Remote) hdfs() error {
	if e.fs != nil {
		return nil
	}
	fs, err := e.opt.HDFS.connect()
	e.fs = fs
	return err
}

// Cleanup implements Engine.
func (e *Remote) Cleanup(_ context.Context, r *runner) error {
	return r.op("hdfs", "remove "+e.opt.StagingPath, func() error {
		if err := e.hdfs(); err != nil {
			return err
		}
		if err := e.fs.RemoveAll(e.opt.StagingPath); err != nil && !isNotExist(err) {
			return fmt.Errorf("failed to remove staging %s: %w", e.opt.StagingPath, err)
		}
		return nil
	})
}

// StateDir is the per-user folder of the ledgers, manifests and pins of
// remote targets: $XDG_STATE_HOME/spotmigrate, else
// ~/.local/state/spotmigrate (else a folder in the current one when there
// is no home).
func StateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "spotmigrate")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "spotmigrate")
	}
	return ".spotmigrate-state"
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// LedgerPath implements Engine: in LedgerDir, by default the per-user
// state folder (StateDir), so that a run started from any folder finds
// the ledger of its target.
func (e *Remote) LedgerPath() string {
	dir := e.opt.LedgerDir
	if dir == "" {
		dir = StateDir()
	}
	name := unsafeName.ReplaceAllString(e.opt.Host+"_"+e.opt.Port+"_"+e.opt.DB, "_")
	return filepath.Join(dir, "spotmigrate-"+name+".ledger.json")
}

// Transactions implements Engine.
func (e *Remote) Transactions() bool { return false }

// Files implements Engine: HDFS below HUSER.
func (e *Remote) Files() (FileStore, error) {
	return hdfsStore{root: e.opt.HUser, connect: func() (*hdfs.Client, error) {
		if err := e.hdfs(); err != nil {
			return nil, err
		}
		return e.fs, nil
	}}, nil
}

// Stats implements Engine.
func (e *Remote) Stats() bool { return e.opt.ComputeStats }

// Close implements Engine.
func (e *Remote) Close() error {
	if e.db != nil {
		e.db.Close()
	}
	if e.fs != nil {
		return e.fs.Close()
	}
	return nil
}

// SplitHostPort splits HOST[:PORT], defaulting the port.
func SplitHostPort(s, defPort string) (string, string, error) {
	if !strings.Contains(s, ":") {
		return s, defPort, nil
	}
	h, p, err := net.SplitHostPort(s)
	if err != nil {
		return "", "", err
	}
	if _, err := strconv.Atoi(p); err != nil {
		return "", "", fmt.Errorf("port %q is not a number", p)
	}
	return h, p, nil
}
