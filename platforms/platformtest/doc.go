// Package platformtest is a test kit for platform authors: in a few lines a
// test evaluates a model held in memory, binds it with a registry holding
// the platform under test, assigns its groups and builds the pipelines, then
// checks the platform's acceptance findings and compares what it renders
// with golden files.
//
//	func TestScripts(t *testing.T) {
//		k := platformtest.New(t, platformtest.WithKind("sqlscript", newSQLScript))
//		m := k.Model(map[string]string{"eco.star": `...`})
//		m.ExpectAccept("Scripts") // no findings
//		m.Golden("Scripts", "testdata/scripts")
//	}
//
// Run `go test -update` to rewrite the golden files from the current output.
// The kit registers the -update flag itself, so a test package using it must
// not define its own; Update reports the flag for the package's other
// golden files.
package platformtest
