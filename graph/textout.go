package graph

import (
	"bytes"
	"io"

	"github.com/datasurface/datasurface-go/internal/safetext"
)

// textOut collects a view written for people (text, DOT, Mermaid) and
// writes it made safe by safetext.Lines: model names reach these views
// unchecked when the model was not linted, and a name with an escape
// sequence or a line starting "::" must not drive a terminal or a CI log.
type textOut struct {
	bytes.Buffer
	w io.Writer
}

func newTextOut(w io.Writer) *textOut { return &textOut{w: w} }

// Flush writes what was collected, escaped, and empties the buffer.
func (t *textOut) Flush() error {
	_, err := io.WriteString(t.w, safetext.Lines(t.String()))
	t.Reset()
	return err
}
