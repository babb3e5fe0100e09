package main

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/invopop/jsonschema"

	"spotmigrate/manifest"
	"spotmigrate/reconcile"
)

// module is the module path the comments are read under.
const module = "spotmigrate"

// Schema is one generated schema and the path (from the module root) it is
// kept at.
type Schema struct {
	Path string
	JSON []byte
}

// Generate returns the manifest and reconcile schemas. The working folder
// must be the module root: the Go doc comments are read from the source of
// the manifest and reconcile packages.
func Generate() ([]Schema, error) {
	r := &jsonschema.Reflector{ExpandedStruct: true}
	for _, pkg := range []string{"manifest", "reconcile", "provenance"} {
		if err := r.AddGoComments(module, pkg); err != nil {
			return nil, fmt.Errorf("failed to read the doc comments of %s: %w", pkg, err)
		}
	}
	for k, c := range r.CommentMap {
		r.CommentMap[k] = strings.Join(strings.Fields(c), " ")
	}

	ms := r.Reflect(&manifest.Manifest{})
	ms.ID = jsonschema.ID(manifest.SchemaID)
	ms.Title = "spotmigrate manifest"
	if err := pin(ms, manifest.SchemaID, manifest.Version); err != nil {
		return nil, err
	}

	rs := r.Reflect(&reconcile.Report{})
	rs.ID = jsonschema.ID(reconcile.SchemaID)
	rs.Title = "spotmigrate reconcile report"
	if err := pin(rs, reconcile.SchemaID, 1); err != nil {
		return nil, err
	}
	if err := enum(rs, "Unit", "status", reconcile.Statuses); err != nil {
		return nil, err
	}
	if err := enum(rs, "FileUnit", "status", reconcile.FileStatuses); err != nil {
		return nil, err
	}

	var out []Schema
	for _, s := range []*jsonschema.Schema{ms, rs} {
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("failed to encode schema %s: %w", s.ID, err)
		}
		out = append(out, Schema{Path: path.Join("docs", "schema", path.Base(string(s.ID))), JSON: append(b, '\n')})
	}
	return out, nil
}

// pin makes the root's "$schema" member the schema's own $id and its
// "version" member the format version.
func pin(s *jsonschema.Schema, id string, version int) error {
	p, ok := s.Properties.Get("$schema")
	if !ok {
		return fmt.Errorf("failed to find the $schema member of %s", id)
	}
	p.Const = id
	v, ok := s.Properties.Get("version")
	if !ok {
		return fmt.Errorf("failed to find the version member of %s", id)
	}
	v.Const = version
	return nil
}

// enum restricts member prop of definition def to values.
func enum(s *jsonschema.Schema, def, prop string, values []string) error {
	d, ok := s.Definitions[def]
	if !ok {
		return fmt.Errorf("failed to find definition %s in %s", def, s.ID)
	}
	p, ok := d.Properties.Get(prop)
	if !ok {
		return fmt.Errorf("failed to find member %s of %s in %s", prop, def, s.ID)
	}
	for _, v := range values {
		p.Enum = append(p.Enum, v)
	}
	return nil
}
