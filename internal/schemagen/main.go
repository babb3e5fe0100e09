package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	root := flag.String("root", ".", "the module root (the folder holding go.mod)")
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}

// run writes every schema below root.
func run(root string) error {
	if err := os.Chdir(root); err != nil {
		return fmt.Errorf("failed to enter module root: %w", err)
	}
	schemas, err := Generate()
	if err != nil {
		return err
	}
	for _, s := range schemas {
		if err := os.MkdirAll(filepath.Dir(s.Path), 0o755); err != nil {
			return fmt.Errorf("failed to create schema folder: %w", err)
		}
		if err := os.WriteFile(s.Path, s.JSON, 0o644); err != nil {
			return fmt.Errorf("failed to write schema: %w", err)
		}
		fmt.Println("wrote", s.Path)
	}
	return nil
}
