package migrate

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"strings"

	"github.com/apache/thrift/lib/go/thrift"
)

// hiveBatch is the fetch size used with dialect.Hive: see hiveRows.
const hiveBatch = 10_000_000

// The Hive dialect talks to HiveServer2 engines that are not Impala (the
// integration tests use Spark's Thrift server) through impala-go, which
// closes every operation with the Impala-only RPC CloseImpalaOperation. Such
// a server answers that call, made after the statement has finished, with a
// Thrift "unknown method" exception. hiveConnector tolerates exactly that
// reply and nothing else; every other error passes through.
type hiveConnector struct{ driver.Connector }

// Connect implements driver.Connector.
func (c hiveConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return hiveConn{conn}, nil
}

// isCloseImpalaOperation reports whether err is a server's "unknown
// method" answer to CloseImpalaOperation.
func isCloseImpalaOperation(err error) bool {
	var ae thrift.TApplicationException
	return errors.As(err, &ae) && ae.TypeId() == thrift.UNKNOWN_METHOD &&
		strings.Contains(ae.Error(), "CloseImpalaOperation")
}

type hiveConn struct{ driver.Conn }

// ExecContext implements driver.ExecerContext.
func (c hiveConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	if isCloseImpalaOperation(err) {
		return driver.ResultNoRows, nil
	}
	return res, err
}

// QueryContext implements driver.QueryerContext.
func (c hiveConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return hiveRows{rows}, nil
}

// Ping implements driver.Pinger.
func (c hiveConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// ResetSession implements driver.SessionResetter.
func (c hiveConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

// hiveRows ends the rows normally when closing the operation got the
// "unknown method" answer. (The statements read through it are the
// dialect's SelectRows, whose sentinel row keeps impala-go's NULL bitmaps
// whole: see dialect.Hive.)
type hiveRows struct{ driver.Rows }

// Next implements driver.Rows.
func (r hiveRows) Next(dest []driver.Value) error {
	err := r.Rows.Next(dest)
	if isCloseImpalaOperation(err) {
		return io.EOF
	}
	return err
}

// Close implements driver.Rows.
func (r hiveRows) Close() error {
	if err := r.Rows.Close(); err != nil && !isCloseImpalaOperation(err) {
		return err
	}
	return nil
}
