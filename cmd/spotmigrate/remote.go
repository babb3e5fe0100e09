package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"spotmigrate/dialect"
	"spotmigrate/migrate"
)

// remoteOptions are the flags of the distributed target.
type remoteOptions struct {
	impala, dialect, hdfs, hdfsUser, stagingPath, huser           string
	user, passwordFile, caCert, keytab, principal, spn, ledgerDir string
	tls, kerberos, computeStats                                   bool
}

func (o *remoteOptions) addFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.impala, "impala", "", "Impala daemon HOST[:PORT] (default port 21050): the distributed target")
	fs.StringVar(&o.dialect, "dialect", "impala", "SQL dialect of the --impala engine: impala, or hive for another HiveServer2 engine")
	fs.StringVar(&o.hdfs, "hdfs", "", "HDFS namenode NAMENODE:PORT (default: fs.defaultFS of HADOOP_CONF_DIR)")
	fs.StringVar(&o.hdfsUser, "hdfs-user", "", "HDFS user (default: HADOOP_USER_NAME, then the OS user)")
	fs.StringVar(&o.stagingPath, "staging-path", "/tmp/spotmigrate-staging", "HDFS folder for staging files and the staging database (removed at the end)")
	fs.StringVar(&o.huser, "huser", "/user/spot", "HDFS base folder of the Spot 1.0 tables (spot.conf HUSER)")
	fs.StringVar(&o.user, "impala-user", os.Getenv("SPOTMIGRATE_IMPALA_USER"), "LDAP user for Impala (password from SPOTMIGRATE_IMPALA_PASSWORD or --impala-password-file)")
	fs.StringVar(&o.passwordFile, "impala-password-file", "", "file holding the LDAP password (never printed)")
	fs.BoolVar(&o.tls, "impala-tls", false, "connect to Impala with TLS")
	fs.StringVar(&o.caCert, "impala-ca-cert", "", "CA certificate file for --impala-tls")
	fs.BoolVar(&o.kerberos, "kerberos", false, "authenticate to HDFS with Kerberos (credential cache of KRB5CCNAME, or --keytab)")
	fs.StringVar(&o.keytab, "keytab", "", "Kerberos keytab for HDFS (with --principal)")
	fs.StringVar(&o.principal, "principal", "", "Kerberos principal user@REALM for --keytab")
	fs.StringVar(&o.spn, "hdfs-spn", "nn/_HOST", "Kerberos service principal of the namenode")
	fs.StringVar(&o.ledgerDir, "ledger-dir", "", "local folder for the ledger, manifest and pin of a remote target (default: $XDG_STATE_HOME/spotmigrate, else ~/.local/state/spotmigrate)")
	fs.BoolVar(&o.computeStats, "compute-stats", false, "gather table statistics after each load (COMPUTE STATS)")
}

// engine returns the remote engine described by the flags.
func (o *remoteOptions) engine(db string) (migrate.Engine, error) {
	d, err := dialect.ByName(o.dialect)
	if err != nil || d.Name() == "duckdb" {
		return nil, usageErr("--dialect: want impala or hive")
	}
	host, port, err := migrate.SplitHostPort(o.impala, "21050")
	if err != nil {
		return nil, usageErr("--impala %q: %v", o.impala, err)
	}
	password := os.Getenv("SPOTMIGRATE_IMPALA_PASSWORD")
	if o.passwordFile != "" {
		b, err := os.ReadFile(o.passwordFile)
		if err != nil {
			return nil, withCode(exitUsage, fmt.Errorf("failed to read --impala-password-file: %w", err))
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	e, err := migrate.NewRemote(migrate.RemoteOptions{Dialect: d, Host: host, Port: port, User: o.user, Password: password,
		TLS: o.tls, CACert: o.caCert, StagingPath: o.stagingPath, HUser: o.huser, DB: db, LedgerDir: o.ledgerDir,
		ComputeStats: o.computeStats, HDFS: migrate.HDFSOptions{Address: o.hdfs, User: o.hdfsUser, Kerberos: o.kerberos,
			Keytab: o.keytab, Principal: o.principal, SPN: o.spn}})
	if err != nil {
		return nil, withCode(exitUsage, err)
	}
	return e, nil
}
