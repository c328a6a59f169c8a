// Package schematest finds and compiles the published JSON Schemas that
// tests validate the project's exports against (ODCS, OpenLineage and its
// facets). They are the standards' own files and are not copied into the
// repository: they are read from $DSL_TEST_SCHEMAS, or ../shared/schemas
// next to the repository, and a test that needs them is skipped, saying
// so, when they are not there.
package schematest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// EnvDir is the environment variable naming the schemas' folder.
const EnvDir = "DSL_TEST_SCHEMAS"

// Dir returns the schemas' folder: $DSL_TEST_SCHEMAS, or ../shared/schemas
// next to the repository (found from this file, so it does not depend on
// the test's working folder).
func Dir() string {
	if dir := os.Getenv(EnvDir); dir != "" {
		return dir
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "schemas")
}

// Compile compiles the named schema files of Dir. Every schema file of the
// folder is registered under its $id (or its file name), so that references
// between them (the OpenLineage facets' to the spec) resolve without the
// network; formats (date-time, uri, uuid) are asserted. The test is skipped
// when the folder lacks the first named file.
func Compile(t testing.TB, files ...string) []*jsonschema.Schema {
	t.Helper()
	dir := Dir()
	if len(files) == 0 {
		t.Fatal("schematest.Compile: no schema named")
	}
	if _, err := os.Stat(filepath.Join(dir, files[0])); err != nil {
		t.Skipf("the published schema %s is not in %s (set %s to their folder): %v", files[0], dir, EnvDir, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	all, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, path := range all {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		id := filepath.Base(path)
		if m, ok := doc.(map[string]any); ok {
			if s, ok := m["$id"].(string); ok && s != "" {
				id = s
			}
		}
		if err := c.AddResource(id, doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		ids[filepath.Base(path)] = id
	}
	out := make([]*jsonschema.Schema, len(files))
	for i, f := range files {
		id, ok := ids[f]
		if !ok {
			t.Fatalf("the schema folder %s has no %s", dir, f)
		}
		if out[i], err = c.Compile(id); err != nil {
			t.Fatalf("compiling %s: %v", f, err)
		}
	}
	return out
}

// Validate validates v, as its JSON encoding, against s.
func Validate(s *jsonschema.Schema, v any) error {
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return ValidateJSON(s, j)
}

// ValidateJSON validates one JSON document against s.
func ValidateJSON(s *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}
