package sharemode

import (
	"slices"
	"testing"
)

const pieceLen = 16 << 10

// swarm builds an Input of n pieces from the peers' bitfields (a string
// per peer, '1' = has the piece; "seed" is a seed), what we have ('1' in
// have) and what share mode wants ('1' in wanted).
func swarm(n int, have, wanted string, peers ...string) Input {
	in := Input{NumPieces: n, PieceLength: pieceLen, Target: 3, MaxConnections: 100}
	avail := make([]int, n)
	for _, s := range peers {
		p := Peer{}
		switch s {
		case "seed":
			p = Peer{Seed: true, NumHave: n}
			for i := range avail {
				avail[i]++
			}
		case "share":
			p = Peer{ShareMode: true}
		case "uponly":
			p = Peer{UploadOnly: true}
		default:
			for i, c := range s {
				if c == '1' {
					p.NumHave++
					avail[i]++
				}
			}
		}
		in.Peers = append(in.Peers, p)
	}
	bit := func(s string, i int) bool { return i < len(s) && s[i] == '1' }
	for i := range n {
		if bit(have, i) {
			in.Have++
		}
		if bit(wanted, i) {
			in.Wanted++
		}
	}
	in.Piece = func(i int) Piece {
		return Piece{Peers: avail[i], Have: bit(have, i), Wanted: bit(wanted, i)}
	}
	return in
}

func TestDecide(t *testing.T) {
	many := func(k int, s string) []string {
		out := make([]string, k)
		for i := range out {
			out[i] = s
		}
		return out
	}
	tests := []struct {
		name   string
		in     Input
		edit   func(*Input)
		reason Reason
		rarest []int
		drop   int
	}{
		{name: "no peers", in: swarm(4, "", ""), reason: NoPeers},
		{name: "only seeds: nobody to upload to", in: swarm(4, "", "", "seed", "seed"), reason: NoDownloaders},
		{name: "share-mode and upload-only peers are not downloaders",
			in: swarm(4, "", "", "seed", "share", "uponly"), reason: NoDownloaders},
		{name: "two seeds cover what one leecher lacks (4 missing - 2*2)",
			in: swarm(4, "", "", "seed", "seed", "0000"), reason: SeedsSuffice},
		{name: "first piece: the rarest one some peer has",
			in: swarm(4, "", "", "seed", "0000", "0000", "0110"), reason: Picked, rarest: []int{0, 3}},
		{name: "pieces no peer has are not candidates",
			in: swarm(4, "", "", "1100", "0000", "0000", "0100"), reason: Picked, rarest: []int{0}},
		{name: "fewer than target peers lack the rarest piece",
			in: swarm(4, "", "", "seed", "0000", "0110"), reason: TooFewLack},
		{name: "target 2 lets two lacking peers do",
			in: swarm(4, "", "", "seed", "0000", "0110"), edit: func(in *Input) { in.Target = 2 },
			reason: Picked, rarest: []int{0, 3}},
		{name: "one piece had, not uploaded target times yet",
			in: swarm(4, "1000", "1000", "seed", "0000", "0000", "0000"), edit: func(in *Input) { in.Uploaded = 3*pieceLen - 1 },
			reason: RatioLow},
		{name: "one piece had and uploaded target times: the next",
			in: swarm(4, "1000", "1000", "seed", "0000", "0000", "0000"), edit: func(in *Input) { in.Uploaded = 3 * pieceLen },
			reason: Picked, rarest: []int{1, 2, 3}},
		{name: "a wanted piece in flight counts as downloaded",
			in: swarm(4, "", "0100", "seed", "0000", "0000", "0000"), edit: func(in *Input) { in.Uploaded = 3*pieceLen - 1 },
			reason: RatioLow},
		{name: "one piece downloading at a time at first",
			in:     swarm(4, "1000", "1000", "seed", "0000", "0000", "0000"),
			edit:   func(in *Input) { in.Uploaded = 3 * pieceLen; in.Downloading = 1 },
			reason: QueueFull},
		{name: "40 downloaded: two in parallel",
			in: swarm(4, "", "", "seed", "0000", "0000", "0000"),
			edit: func(in *Input) {
				in.Have, in.Wanted, in.Uploaded, in.Downloading = 40, 40, 120*pieceLen, 2
			},
			reason: Picked, rarest: []int{0, 1, 2, 3}},
		{name: "every candidate had or wanted",
			in: swarm(2, "10", "11", "seed", "00", "00", "00"), edit: func(in *Input) { in.Uploaded = 1 << 30 },
			reason: NoCandidate},
		{name: "excluded by the user: never a candidate",
			in: swarm(2, "", "", "seed", "00", "00", "00"),
			edit: func(in *Input) {
				p := in.Piece
				in.Piece = func(i int) Piece { ps := p(i); ps.Excluded = i == 0; return ps }
			},
			reason: Picked, rarest: []int{1}},
		{name: "mostly seeds near the connection limit: drop down to half",
			in: swarm(4, "", "", "seed", "seed", "seed", "0000"), edit: func(in *Input) { in.MaxConnections = 4 },
			reason: SeedsSuffice, drop: 1},
		{name: "mostly seeds, more than 20 peers",
			in:     swarm(4, "", "", append(many(15, "seed"), many(7, "0000")...)...),
			reason: SeedsSuffice, drop: 4},
		{name: "mostly seeds, far from the limit: keep them",
			in: swarm(4, "", "", "seed", "seed", "0000"), reason: SeedsSuffice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if tt.edit != nil {
				tt.edit(&in)
			}
			d := Decide(in)
			if d.Reason != tt.reason || !slices.Equal(d.Rarest, tt.rarest) || d.DropSeeds != tt.drop {
				t.Errorf("Decide = reason %d rarest %v drop %d; want reason %d rarest %v drop %d",
					d.Reason, d.Rarest, d.DropSeeds, tt.reason, tt.rarest, tt.drop)
			}
		})
	}
}

// TestDecideRestores: a piece we have, or one in flight, that share mode
// does not want yet is wanted again (so a piece in flight is finished),
// unless the user excluded it.
func TestDecideRestores(t *testing.T) {
	in := swarm(4, "1000", "", "seed", "0000", "0000", "0000")
	in.Uploaded = 1 << 30
	p := in.Piece
	in.Piece = func(i int) Piece {
		ps := p(i)
		ps.Downloading = i == 1 || i == 2
		ps.Excluded = i == 2
		return ps
	}
	d := Decide(in)
	if !slices.Equal(d.Restore, []int{0, 1}) || !slices.Equal(d.Rarest, []int{3}) {
		t.Errorf("restore %v rarest %v; want [0 1] and [3]", d.Restore, d.Rarest)
	}
}
