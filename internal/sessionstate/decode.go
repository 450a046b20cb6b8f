package sessionstate

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// Decode takes apart a saved state. kinds types the "settings" entries (a
// nil kinds leaves them all in UnknownSettings). It fails only on input that
// is not bencode, whose root is not a dictionary, or that exceeds the limits
// (ErrMalformed, ErrTooLarge); everything libtorrent would skip is skipped
// and listed in State.Ignored. The State does not alias data.
func Decode(data []byte, kinds Kinds) (State, error) {
	if len(data) > MaxSize {
		return State{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxSize)
	}
	end, err := bencodex.Scan(data, decodeLimits)
	if err != nil {
		return State{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	data = data[:end]
	if data[0] != 'd' {
		return State{}, fmt.Errorf("%w: the root is a %s, not a dictionary", ErrMalformed, typeName(data))
	}
	d := decoder{kinds: kinds}
	seen := map[string]bool{}
	_, err = dictEach(data, func(key string, raw []byte) (bool, error) {
		if seen[key] {
			d.ignore(key, "repeated key: the first one counts")
			return true, nil
		}
		seen[key] = true
		return true, d.rootKey(key, raw)
	})
	if err != nil {
		return State{}, err
	}
	d.finishIgnored()
	if len(d.ranges4)+len(d.ranges6) > 0 {
		d.st.IPFilter = append(d.ranges4, d.ranges6...)
	}
	return d.st, nil
}

// decoder accumulates a State and its report.
type decoder struct {
	st         State
	kinds      Kinds
	unreported int // ignored entries beyond maxIgnored, only counted
	// ranges4 and ranges6 are joined in this order into State.IPFilter
	// at the end, whatever the order of the keys, as Encode writes them.
	ranges4, ranges6 []IPRange
}

// rootKey decodes one root entry. Keys of known meaning but the wrong type
// are skipped, as libtorrent's dict_find_dict / dict_find_list do.
func (d *decoder) rootKey(key string, raw []byte) error {
	switch key {
	case "settings":
		if !d.expect(key, raw, 'd') {
			return nil
		}
		return d.settings(raw)
	case "dht":
		if !d.expect(key, raw, 'd') {
			return nil
		}
		d.st.DHTSettings = readLegacy(raw, legacyDHT, func(k, reason string) {
			d.ignore(key+"."+k, reason)
		})
	case "dht state":
		if !d.expect(key, raw, 'd') {
			return nil
		}
		return d.dhtState(raw)
	case "extensions":
		if !d.expect(key, raw, 'd') {
			return nil
		}
		return d.extensions(raw)
	case "ip_filter4", "ip_filter6":
		if !d.expect(key, raw, 'l') {
			return nil
		}
		return d.ipFilter(key, raw)
	default:
		if len(d.st.Other) >= maxOtherKeys {
			return fmt.Errorf("%w: more than %d root keys", ErrTooLarge, maxOtherKeys)
		}
		if d.st.Other == nil {
			d.st.Other = map[string]bencodex.Raw{}
		}
		d.st.Other[key] = copyRaw(raw)
	}
	return nil
}

// expect reports whether raw starts with the container byte want ('d' or
// 'l'), and records the entry as ignored if not.
func (d *decoder) expect(key string, raw []byte, want byte) bool {
	if raw[0] == want {
		return true
	}
	d.ignore(key, "a "+typeName(raw)+", not a "+typeName([]byte{want}))
	return false
}

// settings decodes "settings". libtorrent applies its entries in order, so
// of a repeated name the last usable value wins (and a later unusable one
// does not undo it). A name is in Settings or UnknownSettings, never both.
func (d *decoder) settings(raw []byte) error {
	d.st.Settings = map[string]Value{}
	_, err := dictEach(raw, func(name string, v []byte) (bool, error) {
		if len(d.st.Settings)+len(d.st.UnknownSettings) >= maxSettings {
			return false, fmt.Errorf("%w: more than %d settings", ErrTooLarge, maxSettings)
		}
		reason := "unknown setting"
		if d.kinds != nil {
			if kind, ok := d.kinds(name); ok {
				var val Value
				if val, reason = typed(v, kind); reason == "" {
					d.st.Settings[name] = val
					delete(d.st.UnknownSettings, name)
					return true, nil
				}
			}
		}
		d.ignore("settings."+name, reason)
		if _, loaded := d.st.Settings[name]; loaded {
			return true, nil // an earlier value stands; this one is only reported
		}
		if d.st.UnknownSettings == nil {
			d.st.UnknownSettings = map[string]bencodex.Raw{}
		}
		d.st.UnknownSettings[name] = copyRaw(v)
		return true, nil
	})
	return err
}

// extensions decodes "extensions": string values only, the last of a
// repeated name winning, as read_session_params does.
func (d *decoder) extensions(raw []byte) error {
	d.st.Extensions = map[string]string{}
	_, err := dictEach(raw, func(name string, v []byte) (bool, error) {
		s, ok := bencodex.String(v)
		if !ok {
			d.ignore("extensions."+name, "a "+typeName(v)+", not a string")
			return true, nil
		}
		if _, dup := d.st.Extensions[name]; !dup && len(d.st.Extensions) >= maxSettings {
			return false, fmt.Errorf("%w: more than %d extensions", ErrTooLarge, maxSettings)
		}
		d.st.Extensions[name] = string(s)
		return true, nil
	})
	return err
}

// typed converts one bencode value to a setting of kind, the way
// load_pack_from_dict does, or says why it cannot (an empty reason means
// the value is usable).
func typed(v []byte, kind Kind) (Value, string) {
	switch v[0] {
	case 'i':
		n, ok := bencodex.Int(v)
		if !ok {
			return Value{}, "an invalid integer"
		}
		switch kind {
		case KindInt:
			if n < math.MinInt32 || n > math.MaxInt32 {
				return Value{}, "int " + strconv.FormatInt(n, 10) + " is outside int32's range (libtorrent would truncate it)"
			}
			return IntValue(int(n)), ""
		case KindBool:
			return BoolValue(n != 0), ""
		}
		return Value{}, "an integer for a " + kind.String() + " setting"
	case 'l', 'd':
		return Value{}, "a " + typeName(v) + " (libtorrent skips those)"
	}
	s, ok := bencodex.String(v)
	if !ok {
		return Value{}, "an invalid string"
	}
	if kind != KindString {
		return Value{}, "a string for a " + kind.String() + " setting"
	}
	return StringValue(string(s)), ""
}

// ignore records a skipped entry. Keys come from the input, so they are
// quoted and cut; past maxIgnored entries only a count is kept.
func (d *decoder) ignore(key, reason string) {
	if len(d.st.Ignored) >= maxIgnored {
		d.unreported++
		return
	}
	if len(key) > maxIgnoredKey {
		key = key[:maxIgnoredKey] + "..."
	}
	d.st.Ignored = append(d.st.Ignored, Ignored{Key: strconv.QuoteToASCII(key), Reason: reason})
}

// finishIgnored adds the count of reports that did not fit.
func (d *decoder) finishIgnored() {
	if d.unreported > 0 {
		d.st.Ignored = append(d.st.Ignored, Ignored{Key: "...", Reason: strconv.Itoa(d.unreported) + " more entries ignored"})
	}
}

// dictEach and listEach walk validated bencode; an error from the walk
// itself would mean Scan let something through and is reported as
// ErrMalformed.
func dictEach(raw []byte, fn func(key string, v []byte) (bool, error)) (bool, error) {
	ok, err := bencodex.DictEach(raw, fn)
	return ok, wrapWalk(err)
}

func listEach(raw []byte, fn func(v []byte) (bool, error)) (bool, error) {
	ok, err := bencodex.ListEach(raw, fn)
	return ok, wrapWalk(err)
}

func wrapWalk(err error) error {
	if err == nil || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrMalformed) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrMalformed, err)
}

// typeName names the bencode type raw starts with.
func typeName(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case 'd':
		return "dictionary"
	case 'l':
		return "list"
	case 'i':
		return "integer"
	}
	return "string"
}

func copyRaw(raw []byte) bencodex.Raw { return append(bencodex.Raw(nil), raw...) }
