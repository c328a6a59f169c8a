package format

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzSource feeds arbitrary text to Source. It must never panic; when it
// accepts the text, formatting its output must give the output back
// (format(format(x)) == format(x)), and when it refuses, the error is an
// *Error naming the file. The seed corpus is in testdata/fuzz/FuzzSource;
// go test -fuzz=FuzzSource ./starlark/format explores from it.
func FuzzSource(f *testing.F) {
	f.Add("ecosystem(name = \"Acme\", zones = [usa])  # a comment\n")
	f.Add("x = [\n    1,  # one\n    2,\n]\n")
	f.Fuzz(func(t *testing.T, src string) {
		out, err := Source("eco.star", []byte(src))
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) || fe.File != "eco.star" {
				t.Fatalf("error is not an *Error naming the file: %v", err)
			}
			if out != nil {
				t.Fatal("text returned with an error")
			}
			return
		}
		again, err := Source("eco.star", out)
		if err != nil {
			t.Fatalf("formatted text refused: %v\n%s", err, out)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("not idempotent:\nfirst:\n%s\nsecond:\n%s", out, again)
		}
	})
}
