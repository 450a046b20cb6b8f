package supervisor

import (
	"errors"
	"syscall"
	"testing"
	"time"
)

func TestPlanValidate(t *testing.T) {
	ok := []Rule{
		{Kind: KindPeer, Action: ActionPanic},
		{Kind: KindPeer, Site: SiteReader, Message: "piece", Nth: 3, Action: ActionPanic},
		{Kind: KindTorrent, Message: "PieceHashed", Every: 2, Action: ActionDelay, Delay: time.Millisecond},
		{Kind: KindSession, Probability: 0.5, Action: ActionDrop},
		{Kind: KindDiskWorker, Message: "write", Action: ActionDiskError, Errno: syscall.ENOSPC},
		{Kind: KindPeer, Action: ActionResetConnection, Limit: 1},
		{Kind: KindAnnouncer, Action: ActionTrackerTimeout},
		{Kind: KindAnnouncer, Site: SiteScrape, Action: ActionTrackerTimeout},
		{Kind: KindListener, Site: SiteAccept, Action: ActionPanic},
		{Kind: KindAlert, Site: SiteDispatch, Action: ActionPanic},
	}
	for i, r := range ok {
		if err := (Plan{Rules: []Rule{r}}).Validate(); err != nil {
			t.Errorf("rule %d %+v: %v", i, r, err)
		}
	}
	bad := []Rule{
		{Kind: "choker", Action: ActionPanic},
		{Kind: KindTorrent, Site: SiteReader, Action: ActionPanic}, // torrents own no reader
		{Kind: KindPeer, Nth: 1, Every: 2, Action: ActionPanic},
		{Kind: KindPeer, Nth: -1, Action: ActionPanic},
		{Kind: KindPeer, Probability: 1.5, Action: ActionPanic},
		{Kind: KindPeer, Action: ActionDelay},
		{Kind: KindPeer, Site: SiteReader, Action: ActionDrop},
		{Kind: KindDisk, Action: ActionDiskError, Errno: syscall.EIO},
		{Kind: KindDiskWorker, Action: ActionDiskError},
		{Kind: KindTorrent, Action: ActionResetConnection},
		{Kind: KindPeer, Action: ActionTrackerTimeout},
		{Kind: KindPeer, Action: ActionPanic, Errno: syscall.EIO},
		{Kind: KindPeer},
	}
	for i, r := range bad {
		err := (Plan{Rules: []Rule{r}}).Validate()
		if !errors.Is(err, ErrInvalidPlan) {
			t.Errorf("rule %d %+v: err %v, want ErrInvalidPlan", i, r, err)
		}
		if _, err := New(&Plan{Rules: []Rule{r}}); !errors.Is(err, ErrInvalidPlan) {
			t.Errorf("New with rule %d: %v", i, err)
		}
	}
}

// decisions runs n messages named name through a fresh injector of plan
// and returns which of them (1-based) a rule fired on.
func decisions(p Plan, kind Kind, site Site, name string, n int) []int {
	in := newInjector(p)
	var out []int
	for i := 1; i <= n; i++ {
		if _, _, ok := in.decide(kind, site, name); ok {
			out = append(out, i)
		}
	}
	return out
}

func TestInjectorWhen(t *testing.T) {
	eq := func(a, b []int) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	rule := func(r Rule) Plan { r.Kind, r.Action = KindPeer, ActionPanic; return Plan{Seed: 7, Rules: []Rule{r}} }
	cases := []struct {
		name string
		p    Plan
		msg  string
		want []int
	}{
		{"nth", rule(Rule{Nth: 3}), "X", []int{3}},
		{"every", rule(Rule{Every: 4}), "X", []int{4, 8}},
		{"every limited", rule(Rule{Every: 2, Limit: 2}), "X", []int{2, 4}},
		{"always", rule(Rule{Limit: 3}), "X", []int{1, 2, 3}},
		{"other message", rule(Rule{Message: "Y"}), "X", nil},
		{"named message", rule(Rule{Message: "X", Nth: 2}), "X", []int{2}},
	}
	for _, c := range cases {
		if got := decisions(c.p, KindPeer, SiteReceive, c.msg, 10); !eq(got, c.want) {
			t.Errorf("%s: fired on %v, want %v", c.name, got, c.want)
		}
	}
	// Another kind or site is never hit.
	if got := decisions(rule(Rule{}), KindTorrent, SiteReceive, "X", 5); got != nil {
		t.Errorf("kind torrent hit by a peer rule: %v", got)
	}
	if got := decisions(rule(Rule{}), KindPeer, SiteReader, "X", 5); got != nil {
		t.Errorf("reader hit by a receive rule: %v", got)
	}
	// The first rule that fires wins; the second counts only what the
	// first let through.
	two := Plan{Rules: []Rule{
		{Kind: KindPeer, Nth: 2, Action: ActionPanic},
		{Kind: KindPeer, Nth: 2, Action: ActionDrop},
	}}
	in := newInjector(two)
	var got []Action
	for range 4 {
		if r, _, ok := in.decide(KindPeer, SiteReceive, "X"); ok {
			got = append(got, r.Action)
		}
	}
	if len(got) != 2 || got[0] != ActionPanic || got[1] != ActionDrop {
		t.Errorf("two rules fired %v, want [panic drop]", got)
	}
}

// A seed makes the probability decisions reproducible; another seed makes
// others, and the rate is about the probability.
func TestInjectorProbabilitySeeded(t *testing.T) {
	p := Plan{Seed: 42, Rules: []Rule{{Kind: KindDisk, Probability: 0.1, Action: ActionPanic}}}
	a := decisions(p, KindDisk, SiteReceive, "DiskWrite", 10000)
	b := decisions(p, KindDisk, SiteReceive, "DiskWrite", 10000)
	if len(a) != len(b) {
		t.Fatalf("same seed, %d then %d faults", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, fault %d on message %d then %d", i, a[i], b[i])
		}
	}
	if len(a) < 800 || len(a) > 1200 {
		t.Errorf("%d faults in 10000 messages at probability 0.1", len(a))
	}
	p.Seed = 43
	c := decisions(p, KindDisk, SiteReceive, "DiskWrite", 10000)
	same := len(c) == len(a)
	for i := 0; same && i < len(a); i++ {
		same = a[i] == c[i]
	}
	if same {
		t.Error("seeds 42 and 43 made the same decisions")
	}
}

func TestBackoffDelay(t *testing.T) {
	b := backoff{Initial: time.Second, Max: 10 * time.Second}
	for n, want := range map[int]time.Duration{0: 0, 1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 5: 10 * time.Second, 50: 10 * time.Second} {
		if got := b.delay(n); got != want {
			t.Errorf("delay after %d failures = %v, want %v", n, got, want)
		}
	}
	if d := (backoff{}).delay(3); d != 0 {
		t.Errorf("no backoff waits %v", d)
	}
}
