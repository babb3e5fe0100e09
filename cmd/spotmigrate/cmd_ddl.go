package main

import (
	"context"
	"fmt"
	"io"

	"spotmigrate/catalog"
	"spotmigrate/dialect"
)

func runDDL(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("ddl", "[--dialect duckdb|impala|hive] [--db spot] [--huser /user/spot]", stderr)
	engine := fs.String("dialect", "impala", "engine: duckdb, impala or hive")
	db := fs.String("db", "spot", "database (schema) of the Spot 1.0 tables")
	huser := fs.String("huser", "/user/spot", "HDFS base folder (spot.conf HUSER)")
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := dialect.ByName(*engine)
	if err != nil {
		return withCode(exitUsage, err)
	}
	if err := dialect.CheckIdent("--db", *db); err != nil {
		return withCode(exitUsage, err)
	}
	fmt.Fprintf(stdout, "%s;\n", d.CreateDatabase(*db, ""))
	for i := range catalog.Tables {
		t := &catalog.Tables[i]
		fmt.Fprintf(stdout, "%s;\n", d.CreateTable(*db, t, dialect.Location(*huser, t)))
	}
	return nil
}
