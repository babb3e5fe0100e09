package iana

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// configName is the old OA's IANA config file.
const configName = "iana_config.json"

// Load finds the registries of an old install.
//
// With dir (--iana-dir) non-empty it reads dir/iana_config.json if that
// exists, else the four default file names in dir. With dir empty, oaPath is
// the old spot-oa root or its data/ folder, and the config is
// <spot-oa>/oa/components/iana/iana_config.json; when that is absent Load
// returns Embedded().
//
// A configured value is used as is when absolute; a relative one is tried
// beside the config, then under <spot-oa>/oa (start_oa.py's working
// directory), then under <spot-oa>.
func Load(oaPath, dir string) (*Set, error) {
	root := ""
	if oaPath != "" || dir == "" {
		root = spotOARoot(oaPath)
	}
	if dir != "" {
		return loadDir(root, dir)
	}
	cfg := filepath.Join(root, "oa", "components", "iana", configName)
	found, err := exists(cfg)
	switch {
	case err != nil:
		return nil, err
	case !found:
		return Embedded(), nil
	}
	return loadConfig(root, cfg)
}

// spotOARoot turns an --oa-path (the spot-oa root or its data/ folder) into
// the spot-oa root.
func spotOARoot(oaPath string) string {
	p := filepath.Clean(oaPath)
	parent := filepath.Dir(p)
	if filepath.Base(p) == "data" || (!isDir(filepath.Join(p, "oa")) && isDir(filepath.Join(parent, "oa"))) {
		return parent
	}
	return p
}

// loadDir reads the registries of an --iana-dir folder.
func loadDir(root, dir string) (*Set, error) {
	cfg := filepath.Join(dir, configName)
	found, err := exists(cfg)
	if err != nil {
		return nil, err
	}
	if found {
		return loadConfig(root, cfg)
	}
	s := &Set{}
	for _, l := range layouts {
		r, err := readRegistry(l, filepath.Join(dir, l.file))
		if err != nil {
			return nil, err
		}
		s.Registries = append(s.Registries, r)
	}
	return s, nil
}

// loadConfig reads the registries an iana_config.json names.
func loadConfig(root, cfg string) (*Set, error) {
	values, err := readConfig(cfg)
	if err != nil {
		return nil, err
	}
	s := &Set{Config: cfg}
	for _, l := range layouts {
		key, value, err := configValue(values, l, cfg)
		if err != nil {
			return nil, err
		}
		path, err := locate(cfg, key, value, root)
		if err != nil {
			return nil, err
		}
		r, err := readRegistry(l, path)
		if err != nil {
			return nil, err
		}
		s.Registries = append(s.Registries, r)
	}
	return s, nil
}

// readConfig returns the members of the config's "IANA" object. Keys match
// exactly, as in Python.
func readConfig(cfg string) (map[string]any, error) {
	data, err := os.ReadFile(cfg)
	if err != nil {
		return nil, fmt.Errorf("failed to read IANA config: %w", err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("failed to parse %s: %w", cfg, err)
	}
	raw, ok := top["IANA"]
	if !ok {
		return nil, parseError(cfg, "missing key IANA")
	}
	var values map[string]any
	if err := json.Unmarshal(raw, &values); err != nil {
		return nil, parseError(cfg, "IANA: %w", err)
	}
	return values, nil
}

// configValue returns the config key naming layout l's file and its value.
func configValue(values map[string]any, l layout, cfg string) (key, value string, err error) {
	for _, k := range l.configKeys {
		v, ok := values[k]
		if !ok {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return "", "", parseError(cfg, "IANA.%s is %s, want a string", k, jsonText(v))
		}
		return k, s, nil
	}
	return "", "", parseError(cfg, "missing key IANA.%s", l.configKeys[0])
}

// locate finds the file a config value names.
func locate(cfg, key, value, root string) (string, error) {
	tried := candidates(value, filepath.Dir(cfg), root)
	for _, p := range tried {
		if isFile(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("failed to find file of IANA.%s %q in %s (tried %s): %w",
		key, value, cfg, strings.Join(tried, ", "), fs.ErrNotExist)
}

// candidates lists the paths a config value may name, in the order tried.
// An absolute path that is not there may be the install's own path on the
// machine the tree was copied from: its file name beside the config is
// tried next.
func candidates(value, cfgDir, root string) []string {
	if filepath.IsAbs(value) {
		return []string{value, filepath.Join(cfgDir, filepath.Base(value))}
	}
	list := []string{filepath.Join(cfgDir, value)}
	if root != "" {
		list = append(list, filepath.Join(root, "oa", value), filepath.Join(root, value))
	}
	var out []string
	for _, p := range list {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// exists reports whether path exists; an error other than "not exist" is
// returned.
func exists(path string) (bool, error) {
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("failed to stat %s: %w", path, err)
	}
	return true, nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// jsonText renders a decoded JSON value for an error message.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
