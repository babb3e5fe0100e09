package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

func TestIndentShallow(t *testing.T) {
	v := map[string]any{
		"a": []any{map[string]any{"p": `x{"y"},[z]\`, "n": 1}, map[string]any{}},
		"b": map[string]any{"c": []any{}, "d": "e:f"},
		"g": []any{},
	}
	var buf bytes.Buffer
	if err := WriteJSONShallow(&buf, v, 2); err != nil {
		t.Fatal(err)
	}
	want := `{
  "a": [
    {"n":1,"p":"x{\"y\"},[z]\\"},
    {}
  ],
  "b": {
    "c": [],
    "d": "e:f"
  },
  "g": []
}
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	var back map[string]any
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	norm, _ := json.Marshal(v)
	var orig map[string]any
	json.Unmarshal(norm, &orig)
	if !reflect.DeepEqual(back, orig) {
		t.Errorf("round trip changed the value: %v", back)
	}
}
