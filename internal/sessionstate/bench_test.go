package sessionstate

import "testing"

// BenchmarkDecode: a state as libtorrent saves it (settings, dht dict, DHT
// state), typed by libtorrent's table of 249 settings.
func BenchmarkDecode(b *testing.B) {
	data := readFixture(b, "lt208_dht.state")
	kinds := ltKinds(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(data, kinds); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	st, err := Decode(readFixture(b, "lt208_dht.state"), ltKinds(b))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Encode(st, SaveAll); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeIPFilter: a blocklist-sized filter, 400k IPv4 ranges.
func BenchmarkDecodeIPFilter(b *testing.B) {
	const n = 400_000
	data := []byte("d10:ip_filter4l")
	for i := range n {
		a, b, c := byte(i>>16), byte(i>>8), byte(i)
		data = append(data, "12:"...)
		data = append(data, a, b, c, 0, a, b, c, 0xff, 0, 0, 0, 1)
	}
	data = append(data, "ee"...)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		st, err := Decode(data, nil)
		if err != nil || len(st.IPFilter) != n {
			b.Fatal(err, len(st.IPFilter))
		}
	}
}
