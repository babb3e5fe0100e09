package migrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path"
	"path/filepath"
	"time"

	"github.com/colinmarc/hdfs/v2"
	"github.com/colinmarc/hdfs/v2/hadoopconf"
	krb "github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/keytab"
)

// HDFSOptions say how to reach HDFS.
type HDFSOptions struct {
	// Address is NAMENODE:PORT; empty means fs.defaultFS from HADOOP_CONF_DIR.
	Address string
	// User is the HDFS user; empty means HADOOP_USER_NAME, then the OS user.
	User string
	// Kerberos: a keytab and principal (user@REALM), or the credential cache
	// of KRB5CCNAME when Keytab is empty and Kerberos is set; the namenode's
	// service principal name (e.g. nn/_HOST).
	Kerberos  bool
	Keytab    string
	Principal string
	SPN       string
}

func (o HDFSOptions) connect() (*hdfs.Client, error) {
	opts := hdfs.ClientOptions{}
	if o.Address != "" {
		opts.Addresses = []string{o.Address}
	} else {
		conf, err := hadoopconf.LoadFromEnvironment()
		if err != nil {
			return nil, fmt.Errorf("failed to read HADOOP_CONF_DIR: %w", err)
		}
		opts = hdfs.ClientOptionsFromConf(conf)
		if len(opts.Addresses) == 0 {
			return nil, fmt.Errorf("failed to find the namenode: give --hdfs NAMENODE:PORT or set HADOOP_CONF_DIR")
		}
	}
	opts.User = o.User
	if opts.User == "" {
		opts.User = os.Getenv("HADOOP_USER_NAME")
	}
	if opts.User == "" {
		if u, err := user.Current(); err == nil {
			opts.User = u.Username
		}
	}
	if o.Kerberos || o.Keytab != "" {
		kc, err := o.kerberos()
		if err != nil {
			return nil, err
		}
		opts.KerberosClient, opts.KerberosServicePrincipleName = kc, o.SPN
	}
	c, err := hdfs.NewClient(opts)
	if err != nil {
		return nil, fmt.Errorf("failed to connect to HDFS %v: %w", opts.Addresses, err)
	}
	return c, nil
}

// kerberos builds a Kerberos client from a keytab or a credential cache.
func (o HDFSOptions) kerberos() (*krb.Client, error) {
	confPath := os.Getenv("KRB5_CONFIG")
	if confPath == "" {
		confPath = "/etc/krb5.conf"
	}
	cfg, err := config.Load(confPath)
	if err != nil {
		return nil, fmt.Errorf("failed to read Kerberos configuration %s: %w", confPath, err)
	}
	if o.Keytab != "" {
		kt, err := keytab.Load(o.Keytab)
		if err != nil {
			return nil, fmt.Errorf("failed to read keytab: %w", err)
		}
		name, realm, ok := cut(o.Principal, '@')
		if !ok {
			return nil, fmt.Errorf("failed to use keytab: principal %q is not user@REALM", o.Principal)
		}
		return krb.NewWithKeytab(name, realm, kt, cfg), nil
	}
	cc := os.Getenv("KRB5CCNAME")
	if cc == "" {
		cc = fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid())
	}
	cache, err := credentials.LoadCCache(trimPrefix(cc, "FILE:"))
	if err != nil {
		return nil, fmt.Errorf("failed to read Kerberos credential cache: %w", err)
	}
	c, err := krb.NewFromCCache(cache, cfg)
	if err != nil {
		return nil, fmt.Errorf("failed to use Kerberos credential cache: %w", err)
	}
	return c, nil
}

func cut(s string, sep byte) (string, string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func trimPrefix(s, p string) string {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) || os.IsNotExist(err) }

// uploadTree copies every file under local to remote, keeping the folders.
func uploadTree(ctx context.Context, c *hdfs.Client, local, remote string) error {
	return filepath.WalkDir(local, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(local, p)
		dst := path.Join(remote, filepath.ToSlash(rel))
		if d.IsDir() {
			if err := c.MkdirAll(dst, 0o755); err != nil {
				return fmt.Errorf("failed to create %s: %w", dst, err)
			}
			return nil
		}
		return uploadFile(c, p, dst)
	})
}

// uploadFile writes dst through a temporary name, checks its size, then
// renames it into place.
func uploadFile(c *hdfs.Client, src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("failed to open %s: %w", src, err)
	}
	defer func() { _ = in.Close() }()
	st, err := in.Stat()
	if err != nil {
		return fmt.Errorf("failed to stat %s: %w", src, err)
	}
	return putHDFS(c, in, st.Size(), dst)
}

// putHDFS writes size bytes of in to dst through a temporary name, checks
// the size HDFS reports, then renames it into place (replacing dst).
func putHDFS(c *hdfs.Client, in io.Reader, size int64, dst string) error {
	if err := c.MkdirAll(path.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("failed to create %s: %w", path.Dir(dst), err)
	}
	tmp := path.Join(path.Dir(dst), "."+path.Base(dst)+".tmp")
	_ = c.Remove(tmp)
	w, err := c.Create(tmp)
	if err != nil {
		return fmt.Errorf("failed to create %s: %w", tmp, err)
	}
	if _, err := io.Copy(w, in); err != nil {
		_ = w.Close()
		return fmt.Errorf("failed to write %s: %w", tmp, err)
	}
	if err := closeWriter(w); err != nil {
		return fmt.Errorf("failed to write %s: %w", tmp, err)
	}
	got, err := c.Stat(tmp)
	if err != nil {
		return fmt.Errorf("failed to check %s: %w", tmp, err)
	}
	if got.Size() != size {
		return fmt.Errorf("failed to upload %s: %d bytes on HDFS, %d locally", dst, got.Size(), size)
	}
	if err := c.Rename(tmp, dst); err != nil {
		return fmt.Errorf("failed to rename %s: %w", tmp, err)
	}
	return nil
}

// closeWriter closes an HDFS file, waiting while the namenode reports that
// the last block is still replicating.
func closeWriter(w *hdfs.FileWriter) error {
	var err error
	for i := 0; i < 50; i++ {
		if err = w.Close(); err == nil || !hdfs.IsErrReplicating(err) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}
