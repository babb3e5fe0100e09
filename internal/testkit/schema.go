package testkit

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"spotmigrate/manifest"
	"spotmigrate/reconcile"
)

// schemaFiles maps each published schema's $id to its file under
// docs/schema/.
var schemaFiles = map[string]string{
	manifest.SchemaID:  "manifest.schema.json",
	reconcile.SchemaID: "reconcile.schema.json",
}

// CheckSchema validates doc, a JSON document spotmigrate wrote, against the
// schema under docs/schema/ that its "$schema" member names; a document that
// names none of them fails.
func CheckSchema(t testing.TB, name string, doc []byte) {
	t.Helper()
	if err := ValidateSchema(doc); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

// ValidateSchema is CheckSchema returning the error.
func ValidateSchema(doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("failed to parse document: %w", err)
	}
	obj, _ := inst.(map[string]any)
	id, _ := obj["$schema"].(string)
	file, ok := schemaFiles[id]
	if !ok {
		return fmt.Errorf("failed to find a schema: the document's $schema is %q", id)
	}
	sch, err := compileSchema(id, Repo("docs", "schema", file))
	if err != nil {
		return err
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("failed to validate document against %s: %w", file, err)
	}
	return nil
}

// compileSchema compiles the schema file at path, known by id.
func compileSchema(id, path string) (*jsonschema.Schema, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read schema: %w", err)
	}
	raw, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("failed to parse schema %s: %w", path, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, raw); err != nil {
		return nil, fmt.Errorf("failed to add schema %s: %w", path, err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		return nil, fmt.Errorf("failed to compile schema %s: %w", path, err)
	}
	return sch, nil
}
