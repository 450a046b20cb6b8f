package bencodex

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

func TestUnmarshal(t *testing.T) {
	type msg struct {
		Name  string `bencode:"name"`
		Size  int64  `bencode:"size"`
		Items []int  `bencode:"items"`
	}
	tests := []struct {
		name    string
		in      string
		lim     Limits
		want    msg
		wantErr error
	}{
		{"ok", "d5:itemsli1ei2ee4:name3:abc4:sizei9ee", DefaultLimits, msg{"abc", 9, []int{1, 2}}, nil},
		{"trailing rejected", "d4:name1:xeJUNK", DefaultLimits, msg{}, ErrTrailing},
		{"trailing allowed", "d4:name1:xeJUNK", Limits{AllowTrailing: true}, msg{Name: "x"}, nil},
		{"wrong type", "d4:namei1ee", DefaultLimits, msg{}, ErrDecode},
		{"syntax", "d4:name", DefaultLimits, msg{}, ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got msg
			err := Unmarshal([]byte(tc.in), &got, tc.lim)
			if !errors.Is(err, tc.wantErr) || (err != nil) != (tc.wantErr != nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err == nil && !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestUnmarshalDepthBeyondAnacrolixDefault(t *testing.T) {
	// anacrolix defaults to 64 levels; our limit must be what applies.
	in := bytes.Repeat([]byte("l"), 90)
	in = append(in, bytes.Repeat([]byte("e"), 90)...)
	var v any
	if err := Unmarshal(in, &v, DefaultLimits); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
}

func TestUnmarshalUnsortedIntoAny(t *testing.T) {
	// Scan accepts unsorted keys; anacrolix's interface decoding refuses them.
	// Either way it must be an error wrapping a sentinel, never a panic.
	var v any
	err := Unmarshal([]byte("d1:bi1e1:ai2ee"), &v, DefaultLimits)
	if err != nil && !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrDecode) {
		t.Fatalf("err = %v", err)
	}
}

func TestMarshalRaw(t *testing.T) {
	m := map[string]any{"b": Raw("d1:xi1ee"), "a": 1}
	got, err := Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if want := "d1:ai1e1:bd1:xi1eee"; string(got) != want {
		t.Fatalf("Marshal = %s, want %s", got, want)
	}
	var r struct {
		B Raw `bencode:"b"`
	}
	if err := Unmarshal(got, &r, DefaultLimits); err != nil || string(r.B) != "d1:xi1ee" {
		t.Fatalf("Unmarshal Raw = %q, %v", r.B, err)
	}
	if _, err := Marshal(Raw(nil)); err == nil {
		t.Fatal("empty Raw marshalled")
	}
}
