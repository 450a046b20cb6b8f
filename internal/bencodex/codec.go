package bencodex

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/anacrolix/torrent/bencode"
)

// Unmarshal scans data under lim, then decodes the first value into v with
// anacrolix bencode. Trailing bytes are ignored only if lim.AllowTrailing.
//
// The decoder is configured with the same depth and string limits as the
// scan, and any panic escaping it is recovered and reported as ErrSyntax, so
// hostile input can never crash the caller.
func Unmarshal(data []byte, v any, lim Limits) (err error) {
	lim = lim.effective()
	end, err := Scan(data, lim)
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: decoder panic: %v", ErrSyntax, r)
		}
	}()
	dec := bencode.NewDecoder(bytes.NewReader(data[:end]))
	dec.MaxStrLen = lim.MaxStringLen
	dec.MaxDepth = lim.MaxDepth
	if err := dec.Decode(v); err != nil {
		var se *bencode.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("%w: %w", ErrSyntax, err)
		}
		return fmt.Errorf("%w: %w", ErrDecode, err)
	}
	return nil
}

// Marshal is anacrolix bencode.Marshal: maps and structs are written with
// their keys sorted, as bencode requires.
func Marshal(v any) ([]byte, error) {
	return bencode.Marshal(v)
}

// Raw is an already-encoded bencode value. Marshal writes it verbatim, which
// is how an info dictionary is embedded byte-for-byte in a .torrent file.
type Raw []byte

// MarshalBencode returns r unchanged; an empty Raw is an error because it is
// not a bencode value.
func (r Raw) MarshalBencode() ([]byte, error) {
	if len(r) == 0 {
		return nil, fmt.Errorf("%w: empty Raw value", ErrSyntax)
	}
	return r, nil
}

// UnmarshalBencode stores a copy of b, so r outlives the decoder's buffer.
func (r *Raw) UnmarshalBencode(b []byte) error {
	*r = append(Raw(nil), b...)
	return nil
}
