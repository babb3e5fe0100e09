package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSONShallow writes v as JSON laid out one member per line down to
// depth levels of nesting and compact below: a manifest then has one line
// per file, partition or skipped entry, which a person can still read and
// grep, and which is written in half the time of full indentation.
func WriteJSONShallow(w io.Writer, v any, depth int) error {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("failed to write JSON: %w", err)
	}
	if _, err := w.Write(indentShallow(compact.Bytes(), depth)); err != nil {
		return fmt.Errorf("failed to write JSON: %w", err)
	}
	return nil
}

// indentShallow re-lays compact JSON src: members of objects and arrays
// nested at most depth levels deep go on lines of their own, indented by
// two spaces a level; empty objects and arrays stay as they are.
func indentShallow(src []byte, depth int) []byte {
	out := make([]byte, 0, len(src)+len(src)/8)
	level := 0
	newline := func(l int) {
		out = append(out, '\n')
		for range l {
			out = append(out, ' ', ' ')
		}
	}
	inString, escaped := false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			out = append(out, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			out = append(out, c)
		case '{', '[':
			out = append(out, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				out = append(out, src[i+1])
				i++
				continue
			}
			level++
			if level <= depth {
				newline(level)
			}
		case '}', ']':
			level--
			if level < depth {
				newline(level)
			}
			out = append(out, c)
		case ',':
			out = append(out, c)
			if level <= depth {
				newline(level)
			}
		case ':':
			out = append(out, c)
			if level <= depth {
				out = append(out, ' ')
			}
		default:
			out = append(out, c)
		}
	}
	return out
}
